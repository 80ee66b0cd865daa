// Every photo is shrunk on the phone before it is kept or sent: longest edge 1600 px, turned
// upright as the camera meant, JPEG of about 400 KB (quality lowered step by step for the rare
// photo that stays larger). A 12 MP camera photo of 4-6 MB becomes a tenth of that.

export const LONGEST = 1600;
export const MAX_BYTES = 430 * 1000; // "about 400 KB", with room under 450 KB
const QUALITIES = [0.8, 0.7, 0.6, 0.5, 0.4];

async function decode(file) {
  // Browsers apply the EXIF orientation when decoding ("from-image").
  if (window.createImageBitmap) {
    try {
      return await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch {
      // fall through: some browsers draw through <img> only
    }
  }
  const url = URL.createObjectURL(file);
  try {
    const img = new Image();
    img.src = url;
    await img.decode();
    return img;
  } finally {
    URL.revokeObjectURL(url); // released as soon as the pixels are decoded
  }
}

function encode(canvas, quality) {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (blob) => (blob ? resolve(blob) : reject(new Error("encode"))),
      "image/jpeg",
      quality,
    ),
  );
}

// {bytes, type, width, height}
export async function shrink(file) {
  let image;
  try {
    image = await decode(file);
  } catch {
    // A format this browser cannot draw (HEIC on most Androids): sent as it is, and the
    // server makes its 1600 px copy.
    return {
      bytes: await file.arrayBuffer(),
      type: file.type || "application/octet-stream",
      width: null,
      height: null,
    };
  }
  const scale = Math.min(1, LONGEST / Math.max(image.width, image.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.round(image.width * scale);
  canvas.height = Math.round(image.height * scale);
  canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
  if (image.close) image.close();
  let blob = null;
  for (const quality of QUALITIES) {
    blob = await encode(canvas, quality);
    if (blob.size <= MAX_BYTES) break;
  }
  const { width, height } = canvas;
  canvas.width = canvas.height = 0; // free the pixels now, not at the next collection
  return { bytes: await blob.arrayBuffer(), type: "image/jpeg", width, height };
}

// Where the phone is, if the inspector allowed it; never waits long, never fails.
export function position() {
  return new Promise((resolve) => {
    if (!navigator.geolocation) return resolve(null);
    navigator.geolocation.getCurrentPosition(
      (found) => resolve({ lat: found.coords.latitude, lon: found.coords.longitude }),
      () => resolve(null),
      { timeout: 8000, maximumAge: 120000 },
    );
  });
}
