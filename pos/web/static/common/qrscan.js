// Reading QR codes in the browser, from the camera or from a photo, with the app's own decoder:
// barcode-detector (the BarcodeDetector API) over zxing-wasm, vendored in ../vendor/barcode-detector/.
// Nothing comes from a CDN: the wasm location is pointed at the app's copy before any detector exists.
//
//   const stop = startCameraScan(videoEl, (text) => ..., { onError: (err) => show(err.reason) });
//   stop();                                   // releases the camera; safe to call at any time, twice too
//   const text = await decodeImageFile(file); // the first QR code in a photo, or null
//   scanProblem()                             // null, or why the camera cannot be used here
//
// Errors are ScanError objects with a stable `reason`:
//   "insecure"     the page is not a secure context (plain http on a LAN address): no camera API at all
//   "no-camera"    no camera, or none that matches
//   "denied"       the user or the browser refused the camera
//   "unavailable"  a camera exists but could not start (in use by another app, hardware error)
//   "decoder"      the decoder (wasm) could not load or run
//   "bad-image"    the file given to decodeImageFile is not an image the browser can read

import { BarcodeDetector, prepareZXingModule } from "../vendor/barcode-detector/ponyfill.js";

const WASM_URL = new URL("../vendor/barcode-detector/zxing_reader.wasm", import.meta.url).href;
const SCAN_PAUSE_MS = 60; // between two detect() calls: each takes 30-45 ms on a 720p frame

export class ScanError extends Error {
  constructor(reason, message) {
    super(message || reason);
    this.name = "ScanError";
    this.reason = reason;
  }
}

let detector = null;

// The one detector of the page. The wasm location must be set before the first BarcodeDetector is
// built: the constructor starts loading the module, from a CDN unless told otherwise.
function getDetector() {
  if (detector === null) {
    prepareZXingModule({
      overrides: { locateFile: (path, prefix) => (path.endsWith(".wasm") ? WASM_URL : prefix + path) },
      fireImmediately: true,
    });
    detector = new BarcodeDetector({ formats: ["qr_code"] });
  }
  return detector;
}

/** Start loading the decoder now (e.g. when a scan page opens) so the first scan is quick. */
export function preloadDecoder() {
  getDetector();
}

/** Why the camera cannot be used on this page ("insecure", "no-camera"), or null when it can be tried. */
export function scanProblem() {
  if (!window.isSecureContext) return "insecure";
  if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return "no-camera";
  return null;
}

function cameraError(error) {
  switch (error && error.name) {
    case "NotAllowedError":
    case "SecurityError":
      return new ScanError("denied", "the camera was not allowed");
    case "NotFoundError":
    case "OverconstrainedError":
      return new ScanError("no-camera", "no camera was found");
    default:
      return new ScanError("unavailable", `the camera could not start (${error && error.name})`);
  }
}

function decoderError(error) {
  return new ScanError("decoder", `the QR decoder is not available (${error && error.message})`);
}

/**
 * Show the back camera in `video` and call `onCode(text)` with the first QR code it sees.
 * With `once: false` it keeps scanning and reports each new code (a code is reported again only after
 * another one was seen). Returns stop(), which releases the camera.
 */
export function startCameraScan(video, onCode, { onError = () => {}, once = true } = {}) {
  let stopped = false;
  let stream = null;
  let timer = null;
  let last = null;

  const stop = () => {
    stopped = true;
    clearTimeout(timer);
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
  };
  const fail = (error) => {
    if (stopped) return;
    stop();
    onError(error);
  };

  const scan = async () => {
    if (stopped) return;
    if (video.readyState >= 2) { // HAVE_CURRENT_DATA: detect() throws InvalidStateError before that
      let codes;
      try {
        codes = await getDetector().detect(video);
      } catch (error) {
        if (error && error.name !== "InvalidStateError") return fail(decoderError(error));
        codes = [];
      }
      const text = codes.length ? codes[0].rawValue : null;
      if (text !== null && text !== last && !stopped) {
        last = text;
        if (once) stop();
        onCode(text);
        if (once) return;
      }
    }
    if (!stopped) timer = setTimeout(scan, SCAN_PAUSE_MS);
  };

  const start = async () => {
    const problem = scanProblem();
    if (problem) return fail(new ScanError(problem, `the camera cannot be used here (${problem})`));
    getDetector();
    let media;
    try {
      media = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
    } catch (error) {
      return fail(cameraError(error));
    }
    if (stopped) return media.getTracks().forEach((track) => track.stop());
    stream = media;
    video.setAttribute("playsinline", ""); // iOS: play inline, not full screen
    video.muted = true;
    video.srcObject = media;
    try {
      await video.play();
    } catch (error) {
      if (!stopped) return fail(cameraError(error));
    }
    scan();
  };

  start();
  return stop;
}

/** The text of the first QR code in an image File or Blob (a photo of a code), or null when there is none. */
export async function decodeImageFile(file) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch (error) {
    throw new ScanError("bad-image", "this file is not an image the browser can read");
  }
  try {
    const codes = await getDetector().detect(bitmap);
    return codes.length ? codes[0].rawValue : null;
  } catch (error) {
    throw decoderError(error);
  } finally {
    bitmap.close();
  }
}
