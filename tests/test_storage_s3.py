"""S3 photo storage over real HTTP against moto_server on loopback, and how requests are signed."""

import datetime
import hashlib
import io
import re
import urllib.request
import uuid
from urllib.parse import parse_qs, urlsplit

import botocore.auth
import pytest
from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
from PIL import Image

from inspector.models import Role
from inspector.storage import LocalStorage, S3Storage, make_storage
from tests.conftest import ACCESS_KEY, REGION, SECRET_KEY, plain_client
from tests.images import jpeg_bytes

KEY = "ab/abcdef0123/display.jpg"
JPEG = b"\xff\xd8jpeg bytes"


@pytest.fixture
def s3_storage(s3_server, bucket):
    """Return a function that builds S3 storage on the test bucket from extra settings."""

    def build(**settings):
        config = {"STORAGE": "s3", "S3_BUCKET": bucket, "S3_ENDPOINT_URL": s3_server.url}
        return make_storage({**config, **settings}, "unused-instance-path")

    return build


@pytest.fixture
def s3(s3_storage):
    return s3_storage()


def record_requests(storage):
    """Return a list that fills with each request `storage` sends, as it is sent."""
    sent = []

    def remember(request, **kwargs):
        sent.append(request)  # returning None lets the request go on to the server

    storage.client.meta.events.register("before-send.s3", remember)
    return sent


def headers_of(request):
    """The headers of a sent request as text, by lower-case name (botocore sends bytes)."""
    return {
        name.lower(): value.decode() if isinstance(value, bytes) else value
        for name, value in request.headers.items()
    }


def fetch(url):
    """GET `url` straight, never through a proxy; return (status, headers, body)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=10) as response:
        return response.status, response.headers, response.read()


# --- the storage protocol -------------------------------------------------------------------


@pytest.mark.parametrize("data", [JPEG, io.BytesIO(JPEG)])
def test_save_open_delete_round_trip(s3, data):
    assert not s3.exists(KEY)
    s3.save(KEY, data, "image/jpeg")
    assert s3.exists(KEY)
    with s3.open(KEY) as stored:
        assert stored.read() == JPEG
    s3.delete(KEY)
    assert not s3.exists(KEY)
    s3.delete(KEY)  # deleting what is gone is not an error


def test_open_streams_in_pieces(s3):
    # send_file reads the body piece by piece: a 40 MB original never sits in memory.
    s3.save(KEY, b"a" * 10 + b"b" * 10, "image/jpeg")
    with s3.open(KEY) as stored:
        assert (stored.read(10), stored.read(10), stored.read(10)) == (b"a" * 10, b"b" * 10, b"")


def test_open_missing_key_raises_file_not_found(s3):
    with pytest.raises(FileNotFoundError):
        s3.open(KEY)


def test_iter_objects_lists_keys_under_the_prefix_with_their_times(s3, s3_server, bucket):
    # The sweeper (inspector/maintenance) lists a bucket through this to find orphans.
    plain_client(s3_server).put_object(Bucket=bucket, Key="elsewhere/x.jpg", Body=b"x")
    s3.save(KEY, JPEG, "image/jpeg")
    s3.save("cd/cdef/thumb.jpg", JPEG, "image/jpeg")
    listed = dict(s3.iter_objects())
    assert sorted(listed) == ["ab/abcdef0123/display.jpg", "cd/cdef/thumb.jpg"]
    now = datetime.datetime.now(datetime.UTC)
    assert all(abs(now - modified) < datetime.timedelta(minutes=5) for modified in listed.values())


@pytest.mark.parametrize(
    "setting, object_key",
    [
        ({}, f"photos/{KEY}"),
        ({"S3_PREFIX": "evidence/2026"}, f"evidence/2026/{KEY}"),
        ({"S3_PREFIX": "/inspector/"}, f"inspector/{KEY}"),
        ({"S3_PREFIX": ""}, KEY),
    ],
)
def test_objects_are_named_with_the_prefix(s3_storage, s3_server, bucket, setting, object_key):
    s3_storage(**setting).save(KEY, JPEG, "image/jpeg")
    listing = plain_client(s3_server).list_objects_v2(Bucket=bucket)
    assert [item["Key"] for item in listing["Contents"]] == [object_key]


def test_objects_carry_their_content_type(s3, s3_server, bucket):
    s3.save("ab/abcdef0123/original.heic", JPEG, "image/heif")
    head = plain_client(s3_server).head_object(
        Bucket=bucket, Key="photos/ab/abcdef0123/original.heic"
    )
    assert head["ContentType"] == "image/heif"


@pytest.mark.parametrize(
    "settings, headers",
    [
        ({}, {}),
        ({"S3_SSE": "AES256"}, {"x-amz-server-side-encryption": "AES256"}),
        (
            {"S3_SSE": "aws:kms", "S3_SSE_KMS_KEY_ID": "alias/inspector-photos"},
            {
                "x-amz-server-side-encryption": "aws:kms",
                "x-amz-server-side-encryption-aws-kms-key-id": "alias/inspector-photos",
            },
        ),
    ],
)
def test_server_side_encryption_is_requested_on_put(
    s3_storage, s3_server, bucket, settings, headers
):
    storage = s3_storage(**settings)
    sent = record_requests(storage)
    storage.save(KEY, JPEG, "image/jpeg")
    (put,) = sent
    assert put.method == "PUT"
    sent_headers = headers_of(put)
    assert sent_headers["content-type"] == "image/jpeg"
    sse_headers = {
        name: value
        for name, value in sent_headers.items()
        if name.startswith("x-amz-server-side-encryption")
    }
    assert sse_headers == headers
    head = plain_client(s3_server).head_object(Bucket=bucket, Key=f"photos/{KEY}")
    if settings:
        assert head["ServerSideEncryption"] == settings["S3_SSE"]
    if "S3_SSE_KMS_KEY_ID" in settings:
        assert head["SSEKMSKeyId"].endswith("inspector-photos")


@pytest.mark.parametrize(
    "key", ["../x", "ab/../../etc/passwd", "/abs", "a\\b", "", "ab//x.jpg", "ab/./x.jpg", "x\x00"]
)
@pytest.mark.parametrize("method", ["save", "open", "delete", "exists", "url"])
def test_unsafe_keys_are_refused_before_any_request(s3_storage, key, method):
    storage = s3_storage(S3_DELIVERY="presigned")
    sent = record_requests(storage)
    args = {
        "save": (key, b"x", "image/jpeg"),
        "url": (key, 300, "image/jpeg"),
    }.get(method, (key,))
    with pytest.raises(ValueError, match="unsafe storage key"):
        getattr(storage, method)(*args)
    assert sent == []


# --- delivery: streamed or presigned --------------------------------------------------------


def test_stream_delivery_offers_no_url(s3, tmp_path):
    # None tells the web layer to stream the file itself, after its permission check.
    assert s3.url(KEY, 300, "image/jpeg") is None
    assert LocalStorage(str(tmp_path)).url(KEY, 300, "image/jpeg") is None


def test_presigned_url_serves_the_bytes_with_their_type(s3_storage, s3_server, bucket):
    storage = s3_storage(S3_DELIVERY="presigned")
    storage.save(KEY, JPEG, "image/jpeg")
    url = storage.url(KEY, 120, "image/jpeg")
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    assert f"{parts.scheme}://{parts.netloc}" == s3_server.url
    assert parts.path == f"/{bucket}/photos/{KEY}"  # path style
    assert query["X-Amz-Expires"] == ["120"]
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Credential"][0].endswith(f"/{REGION}/s3/aws4_request")
    status, headers, body = fetch(url)
    assert (status, headers["Content-Type"], body) == (200, "image/jpeg", JPEG)
    assert "attachment" not in headers.get("Content-Disposition", "")


def test_presigned_original_downloads_as_an_attachment(s3_storage):
    storage = s3_storage(S3_DELIVERY="presigned")
    key = "ab/abcdef0123/original.heic"
    # Stored with another type on purpose: the URL's own answer type must win.
    storage.save(key, JPEG, "application/octet-stream")
    url = storage.url(key, 300, "image/heif", download_name="original.heic")
    status, headers, body = fetch(url)
    assert (status, headers["Content-Type"], body) == (200, "image/heif", JPEG)
    assert headers["Content-Disposition"] == 'attachment; filename="original.heic"'


# --- configuration --------------------------------------------------------------------------


def test_factory_builds_s3_storage_without_touching_the_network(monkeypatch):
    # No credentials and an address where nothing listens: building must still succeed,
    # since create_app builds the storage and must not reach the network.
    monkeypatch.delenv("AWS_ACCESS_KEY_ID", raising=False)
    storage = make_storage(
        {
            "STORAGE": "s3",
            "S3_BUCKET": "photos-bucket",
            "S3_ENDPOINT_URL": "http://127.0.0.1:9",
            "S3_PREFIX": "evidence",
            "S3_SSE": "aws:kms",
            "S3_SSE_KMS_KEY_ID": "alias/photos",
            "S3_DELIVERY": "presigned",
            "S3_READ_TIMEOUT": 12,
            "S3_MAX_ATTEMPTS": 5,
        },
        "unused-instance-path",
    )
    assert isinstance(storage, S3Storage)
    assert storage._client is None
    assert (storage.bucket, storage.prefix, storage.sse, storage.sse_kms_key_id) == (
        "photos-bucket",
        "evidence/",
        "aws:kms",
        "alias/photos",
    )
    assert storage.client_config.read_timeout == 12
    assert storage.client_config.retries == {"mode": "standard", "total_max_attempts": 5}


def test_client_is_made_once_signing_sigv4_path_style(s3):
    client = s3.client
    assert s3.client is client
    assert client.meta.config.signature_version == "s3v4"
    assert client.meta.config.s3["addressing_style"] == "path"
    assert client.meta.config.retries["mode"] == "standard"
    assert client.meta.region_name == REGION  # from AWS_DEFAULT_REGION, the standard chain


@pytest.mark.parametrize(
    "settings, message",
    [
        ({}, "STORAGE 's3' needs S3_BUCKET"),
        ({"S3_BUCKET": ""}, "STORAGE 's3' needs S3_BUCKET"),
        ({"S3_BUCKET": "b", "S3_DELIVERY": "cdn"}, "unknown S3_DELIVERY 'cdn'"),
        ({"S3_BUCKET": "b", "S3_SSE_KMS_KEY_ID": "k"}, "S3_SSE_KMS_KEY_ID needs S3_SSE"),
        ({"S3_BUCKET": "b", "S3_PREFIX": "../up"}, "unsafe storage key"),
    ],
)
def test_factory_refuses_incomplete_settings(settings, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        make_storage({"STORAGE": "s3", **settings}, "unused-instance-path")


# --- signing: moto does not check signatures, so botocore recomputes them -------------------

FIXED_TIME = datetime.datetime(2026, 11, 24, 9, 30, 0)
AUTHORIZATION = re.compile(
    r"AWS4-HMAC-SHA256 Credential=(?P<access_key>[^/]+)/(?P<scope>[^,]+), "
    r"SignedHeaders=(?P<signed>[^,]+), Signature=(?P<signature>[0-9a-f]{64})"
)


def expected_signature(sent, signed):
    """Sign a copy of `sent` with botocore's plain SigV4 signer at the fixed time."""
    # Only the headers the request had when it was signed: botocore adds amz-sdk-request,
    # amz-sdk-invocation-id and Content-Length afterwards, and they are not signed.
    headers = {name: value for name, value in headers_of(sent).items() if name in signed}
    request = AWSRequest(method=sent.method, url=sent.url, headers=headers, data=sent.body)
    request.context["timestamp"] = FIXED_TIME.strftime("%Y%m%dT%H%M%SZ")
    signer = SigV4Auth(Credentials(ACCESS_KEY, SECRET_KEY), "s3", REGION)
    canonical = signer.canonical_request(request)
    return signer.signature(signer.string_to_sign(request, canonical), request)


@pytest.mark.parametrize("operation", ["save", "open"])
def test_requests_are_signed_sigv4_path_style(s3, s3_server, bucket, monkeypatch, operation):
    monkeypatch.setattr(botocore.auth, "get_current_datetime", lambda **kwargs: FIXED_TIME)
    s3.save(KEY, JPEG, "image/jpeg")
    sent = record_requests(s3)
    if operation == "save":
        s3.save(KEY, JPEG, "image/jpeg")
    else:
        with s3.open(KEY) as stored:
            assert stored.read() == JPEG
    (request,) = sent
    headers = headers_of(request)
    assert request.url == f"{s3_server.url}/{bucket}/photos/{KEY}"
    assert headers["x-amz-date"] == "20261124T093000Z"
    assert headers["amz-sdk-request"] == "attempt=1; max=3"  # standard retries, 3 tries in all
    match = AUTHORIZATION.fullmatch(headers["authorization"])
    assert match, headers["authorization"]
    assert match["access_key"] == ACCESS_KEY
    assert match["scope"] == f"20261124/{REGION}/s3/aws4_request"
    signed = match["signed"].split(";")
    assert {"host", "x-amz-content-sha256", "x-amz-date"} <= set(signed)
    if operation == "save":
        # Over plain HTTP the body itself is signed, not UNSIGNED-PAYLOAD.
        assert headers["x-amz-content-sha256"] == hashlib.sha256(JPEG).hexdigest()
        assert "content-type" in signed
    assert match["signature"] == expected_signature(request, signed)


# --- the photo API on S3 --------------------------------------------------------------------


@pytest.fixture
def use_s3(app, s3_server, bucket):
    """Return a function that switches the app to S3 storage with a delivery mode."""

    def switch(delivery):
        app.config.update(
            STORAGE="s3", S3_BUCKET=bucket, S3_ENDPOINT_URL=s3_server.url, S3_DELIVERY=delivery
        )
        app.extensions["inspector.storage"] = make_storage(app.config, app.instance_path)

    return switch


def upload(api, data):
    target = str(uuid.uuid4())
    response = api.put(
        f"/api/v1/photos/{target}",
        data={"file": (io.BytesIO(data), "photo.jpg")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 201, response.text
    return response.json


def object_keys(s3_server, bucket):
    listing = plain_client(s3_server).list_objects_v2(Bucket=bucket)
    return sorted(item["Key"].rsplit("/", 1)[-1] for item in listing.get("Contents", []))


def test_photo_api_stores_in_s3_and_streams_copies(api, use_s3, s3_server, bucket):
    use_s3("stream")
    api.as_role(Role.INSPECTOR)
    body = upload(api, jpeg_bytes((2000, 1500)))
    assert object_keys(s3_server, bucket) == ["display.jpg", "original.jpg", "thumb.jpg"]
    with api.get(body["thumb_url"]) as thumb:
        assert thumb.status_code == 200
        assert thumb.headers["Content-Type"] == "image/jpeg"
        assert thumb.headers["X-Content-Type-Options"] == "nosniff"
        assert thumb.headers["Cache-Control"] == "private, no-cache"
        assert max(Image.open(io.BytesIO(thumb.data)).size) == 320


def test_photo_api_redirects_to_presigned_urls(api, use_s3, s3_server, bucket):
    use_s3("presigned")
    api.as_role(Role.INSPECTOR)
    body = upload(api, jpeg_bytes((2000, 1500)))
    response = api.get(body["thumb_url"])
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{s3_server.url}/{bucket}/photos/")
    assert response.headers["Cache-Control"] == "private, no-cache"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    status, headers, data = fetch(response.headers["Location"])
    assert (status, headers["Content-Type"]) == (200, "image/jpeg")
    assert max(Image.open(io.BytesIO(data)).size) == 320
    original = api.get(body["url"].replace("/display", "/original"))
    status, headers, data = fetch(original.headers["Location"])
    assert headers["Content-Disposition"] == 'attachment; filename="original.jpg"'
    assert data.startswith(b"\xff\xd8")


def test_presigned_delivery_keeps_the_permission_checks(api, use_s3):
    use_s3("presigned")
    api.as_role(Role.INSPECTOR)
    body = upload(api, jpeg_bytes())
    api.as_role(Role.INSPECTOR)  # another inspector: as if the photo did not exist
    assert api.get(body["thumb_url"]).status_code == 404
    api.as_role(Role.LEAD)
    assert api.get(body["url"].replace("/display", "/original")).status_code == 404
    api.token = None
    assert api.get(body["thumb_url"]).status_code == 401
