"""Where photo files live: a small storage protocol, local-disk and S3 backends, a factory.

Backends deal in keys such as "ab/abcdef…/display.jpg" and bytes, never in HTTP responses:
the web layer checks who may see a file, then streams it or, when the backend offers one,
sends the browser to a short-lived URL of its own.
"""

import contextlib
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator, Mapping
from datetime import datetime
from typing import BinaryIO, Protocol

# boto3 and botocore are imported where S3 is used: they take half a second to import, which
# every worker of a server storing photos locally would otherwise pay at start
# (docs/benchmarks.md, "Cold start").


class Storage(Protocol):
    """What the app needs from a place to keep files."""

    def save(self, key: str, data: bytes | BinaryIO, content_type: str) -> None:
        """Store `data` under `key`, replacing what was there; readers never see half."""

    def open(self, key: str) -> BinaryIO:
        """Return the file under `key` for reading; FileNotFoundError when there is none."""

    def delete(self, key: str) -> None:
        """Remove the file under `key`; nothing happens when there is none."""

    def exists(self, key: str) -> bool:
        """Return whether a file is stored under `key`."""

    def url(
        self, key: str, expires: int, content_type: str, download_name: str | None = None
    ) -> str | None:
        """Return a URL valid `expires` seconds that serves `key`, or None: stream it."""


def check_key(key: str) -> str:
    """Return `key` if it is a safe relative name like "photos/ab/cd.jpg", else ValueError."""
    # Keys are made by the app, but refusing anything that could climb out of the root
    # keeps a future bug from turning into a path traversal.
    parts = key.split("/")
    if (
        not key
        or ".." in key
        or "\\" in key
        or "\x00" in key
        or key.startswith("/")
        or any(part in ("", ".") for part in parts)
    ):
        raise ValueError(f"unsafe storage key {key!r}")
    return key


class LocalStorage:
    """Files in a folder on this machine (for one server, or a shared volume)."""

    def __init__(self, root: str) -> None:
        self.root = os.path.abspath(root)

    @classmethod
    def from_config(cls, config: Mapping, instance_path: str) -> "LocalStorage":
        return cls(os.path.join(instance_path, "photos"))

    def path(self, key: str) -> str:
        """Return the file system path of `key`."""
        return os.path.join(self.root, *check_key(key).split("/"))

    def save(self, key: str, data: bytes | BinaryIO, content_type: str) -> None:
        """Write to a temporary file beside the target, then rename it into place."""
        # content_type is for backends that serve files themselves (S3); here the web
        # server infers it from the extension.
        path = self.path(key)
        folder = os.path.dirname(path)
        os.makedirs(folder, exist_ok=True)
        # Same folder, so os.replace is a rename within one file system: atomic, and a
        # reader sees either the old file or the new one, never a partial write.
        fd, temp = tempfile.mkstemp(dir=folder, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as out:
                if isinstance(data, bytes | bytearray | memoryview):
                    out.write(data)
                else:
                    shutil.copyfileobj(data, out)
                out.flush()
                os.fsync(out.fileno())
            os.chmod(temp, 0o644)  # mkstemp makes 0600; a web server may read as another user
            os.replace(temp, path)
        except BaseException:
            os.unlink(temp)
            raise
        sync_folder(folder)

    def open(self, key: str) -> BinaryIO:
        return open(self.path(key), "rb")

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path(key))

    def exists(self, key: str) -> bool:
        return os.path.isfile(self.path(key))

    def url(
        self, key: str, expires: int, content_type: str, download_name: str | None = None
    ) -> str | None:
        check_key(key)
        return None  # nothing else serves this folder: the app streams it


def sync_folder(folder: str) -> None:
    """Flush a rename to disk, so a crash right after save cannot undo it (POSIX only)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Error codes S3 answers for a missing object: GetObject names it, HeadObject (no body) cannot.
MISSING_CODES = {"NoSuchKey", "404", "NotFound"}
DELIVERIES = ("stream", "presigned")

# Settings read by S3Storage.from_config, by the argument they fill; unset ones keep the default.
S3_SETTINGS = {
    "S3_ENDPOINT_URL": "endpoint_url",
    "S3_REGION": "region",
    "S3_PREFIX": "prefix",
    "S3_SSE": "sse",
    "S3_SSE_KMS_KEY_ID": "sse_kms_key_id",
    "S3_DELIVERY": "delivery",
    "S3_CONNECT_TIMEOUT": "connect_timeout",
    "S3_READ_TIMEOUT": "read_timeout",
    "S3_MAX_ATTEMPTS": "max_attempts",
}


class S3Storage:
    """Objects in an S3 bucket: AWS, or an S3-compatible server such as MinIO."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        region: str | None = None,
        prefix: str = "photos/",
        sse: str | None = None,
        sse_kms_key_id: str | None = None,
        delivery: str = "stream",
        connect_timeout: float = 5,
        read_timeout: float = 30,
        max_attempts: int = 3,
    ) -> None:
        if delivery not in DELIVERIES:
            raise ValueError(f"unknown S3_DELIVERY {delivery!r}; choose one of: stream, presigned")
        if sse_kms_key_id and not (sse or "").startswith("aws:kms"):
            raise ValueError("S3_SSE_KMS_KEY_ID needs S3_SSE 'aws:kms' (or 'aws:kms:dsse')")
        self.bucket = bucket
        # An empty INSPECTOR_S3_... variable means unset, except for the prefix ("" is none).
        self.endpoint_url = endpoint_url or None
        self.region = region or None
        self.prefix = normal_prefix(prefix)
        self.sse = sse or None
        self.sse_kms_key_id = sse_kms_key_id or None
        self.delivery = delivery
        from botocore.config import Config

        self.client_config = Config(
            signature_version="s3v4",
            # Path style (endpoint/bucket/key) works on every S3-compatible server and with
            # bucket names that contain dots; virtual hosts need DNS for each bucket.
            s3={"addressing_style": "path"},
            connect_timeout=connect_timeout,
            read_timeout=read_timeout,
            # total_max_attempts counts the first try; botocore's "max_attempts" would not.
            retries={"mode": "standard", "total_max_attempts": int(max_attempts)},
        )
        self._client = None
        self._client_lock = threading.Lock()

    @classmethod
    def from_config(cls, config: Mapping, instance_path: str) -> "S3Storage":
        bucket = config.get("S3_BUCKET")
        if not bucket:
            raise ValueError("STORAGE 's3' needs S3_BUCKET")
        options = {
            argument: config[name]
            for name, argument in S3_SETTINGS.items()
            if config.get(name) is not None
        }
        return cls(bucket, **options)

    @property
    def client(self):
        """The boto3 client, made on first use and then shared by every thread."""
        # Made lazily because finding credentials may ask the instance metadata service:
        # no network at import or in create_app. A session of our own, because boto3's
        # default session must not be used from several threads at once.
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    import boto3

                    self._client = boto3.session.Session().client(
                        "s3",
                        endpoint_url=self.endpoint_url,
                        region_name=self.region,
                        config=self.client_config,
                    )
        return self._client

    def object_key(self, key: str) -> str:
        """Return the name of `key`'s object in the bucket."""
        return self.prefix + check_key(key)

    def save(self, key: str, data: bytes | BinaryIO, content_type: str) -> None:
        """Upload in one PUT: S3 shows readers the old object or the new one, never half."""
        if isinstance(data, bytearray | memoryview):
            data = bytes(data)
        extra = {"ContentType": content_type}
        if self.sse:
            extra["ServerSideEncryption"] = self.sse
        if self.sse_kms_key_id:
            extra["SSEKMSKeyId"] = self.sse_kms_key_id
        self.client.put_object(Bucket=self.bucket, Key=self.object_key(key), Body=data, **extra)

    def open(self, key: str) -> BinaryIO:
        """Return the object's body as a stream, so a 40 MB original never sits in memory."""
        from botocore.exceptions import ClientError

        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self.object_key(key))
        except ClientError as error:
            if is_missing(error):
                raise FileNotFoundError(f"no object for storage key {key!r}") from error
            raise
        return response["Body"]

    def delete(self, key: str) -> None:
        # S3 answers 204 whether or not the object existed.
        self.client.delete_object(Bucket=self.bucket, Key=self.object_key(key))

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.object_key(key))
        except ClientError as error:
            if is_missing(error):
                return False
            raise
        return True

    def iter_objects(self) -> Iterator[tuple[str, datetime]]:
        """Yield (key, last modified) for every object under the prefix, for the sweeper."""
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in pages:
            for item in page.get("Contents", []):
                yield item["Key"].removeprefix(self.prefix), item["LastModified"]

    def url(
        self, key: str, expires: int, content_type: str, download_name: str | None = None
    ) -> str | None:
        """Return a presigned GET URL when S3_DELIVERY is "presigned", else None."""
        object_key = self.object_key(key)
        if self.delivery != "presigned":
            return None
        params = {"Bucket": self.bucket, "Key": object_key, "ResponseContentType": content_type}
        if download_name is not None:
            params["ResponseContentDisposition"] = f'attachment; filename="{download_name}"'
        return self.client.generate_presigned_url(
            "get_object", Params=params, ExpiresIn=int(expires)
        )


def normal_prefix(prefix: str) -> str:
    """Return `prefix` as "name/" (or "" for none), refusing what check_key refuses."""
    prefix = prefix.strip("/")
    return check_key(prefix) + "/" if prefix else ""


def is_missing(error) -> bool:
    """Return whether S3 answered that the object does not exist."""
    return error.response.get("Error", {}).get("Code") in MISSING_CODES


# Backends by the STORAGE setting, each built by its from_config(config, instance_path).
BACKENDS = {"local": LocalStorage, "s3": S3Storage}


def make_storage(config: Mapping, instance_path: str) -> Storage:
    """Return the storage backend the STORAGE setting names ("local" by default)."""
    name = config.get("STORAGE", "local")
    try:
        backend = BACKENDS[name]
    except KeyError:
        choices = ", ".join(sorted(BACKENDS))
        raise ValueError(f"unknown STORAGE {name!r}; choose one of: {choices}") from None
    return backend.from_config(config, instance_path)
