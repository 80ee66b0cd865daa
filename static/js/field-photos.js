// Photos are shrunk on the phone before they are queued: longest edge 1600 px, JPEG at 0.8,
// turned upright as the camera meant. A 4 MB camera photo becomes about 300-400 KB to send.
"use strict";

window.FieldPhotos = (function () {
  var LONGEST = 1600;
  var QUALITY = 0.8;

  function decode(file) {
    // Browsers apply the EXIF orientation when decoding ("from-image" is the default).
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () {
        return decodeWithImg(file);
      });
    }
    return decodeWithImg(file);
  }

  function decodeWithImg(file) {
    return new Promise(function (resolve, reject) {
      var url = URL.createObjectURL(file);
      var img = new Image();
      img.onload = function () { resolve(img); };
      img.onerror = function () { URL.revokeObjectURL(url); reject(new Error("undecodable")); };
      img.src = url;
    });
  }

  function shrink(file) {
    return decode(file).then(function (image) {
      var width = image.width, height = image.height;
      var scale = Math.min(1, LONGEST / Math.max(width, height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(width * scale);
      canvas.height = Math.round(height * scale);
      canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
      if (image.close) image.close();
      return new Promise(function (resolve, reject) {
        canvas.toBlob(function (blob) {
          if (!blob) { reject(new Error("encode")); return; }
          blob.arrayBuffer().then(function (bytes) {
            resolve({ bytes: bytes, type: "image/jpeg", width: canvas.width, height: canvas.height });
          }, reject);
        }, "image/jpeg", QUALITY);
      });
    }).catch(function () {
      // A format this browser cannot draw (HEIC on most Androids): send it as it is; the
      // server converts it.
      return file.arrayBuffer().then(function (bytes) {
        return { bytes: bytes, type: file.type || "application/octet-stream", width: null, height: null };
      });
    });
  }

  // Where the phone is, if the inspector allowed it; never waits long, never fails.
  function position() {
    return new Promise(function (resolve) {
      if (!navigator.geolocation) { resolve(null); return; }
      navigator.geolocation.getCurrentPosition(function (found) {
        resolve({ lat: found.coords.latitude, lon: found.coords.longitude });
      }, function () { resolve(null); }, { timeout: 8000, maximumAge: 120000 });
    });
  }

  return { shrink: shrink, position: position };
})();
