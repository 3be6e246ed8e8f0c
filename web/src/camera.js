// The camera for My data: getUserMedia into a <video>, with what went wrong
// said plainly (no permission, no camera, no support) instead of thrown.

/**
 * Starts the camera into video; resolves { stream } or { problem, denied }
 * for the button to show (denied: the permission was refused, rather than no camera).
 */
export async function startCamera(video) {
  if (!navigator.mediaDevices?.getUserMedia)
    return {
      problem: 'No camera here: this browser (or a page not served over https) has no camera access.',
    };
  try {
    const stream = await navigator.mediaDevices.getUserMedia({
      video: { width: { ideal: 320 }, height: { ideal: 240 } },
      audio: false,
    });
    video.srcObject = stream;
    video.muted = true;
    video.playsInline = true;
    await video.play();
    return { stream };
  } catch (e) {
    const problem =
      {
        NotAllowedError:
          'Camera permission denied: allow the camera for this page in the browser, then try again.',
        SecurityError:
          'Camera permission denied: allow the camera for this page in the browser, then try again.',
        NotFoundError: 'No camera found on this device.',
        OverconstrainedError: 'No camera found on this device.',
        NotReadableError: 'The camera is busy in another app; close it and try again.',
      }[e?.name] ?? `The camera could not start (${e?.name ?? 'error'}).`;
    return { problem, denied: e?.name === 'NotAllowedError' || e?.name === 'SecurityError' };
  }
}

export function stopCamera(stream, video) {
  for (const t of stream?.getTracks() ?? []) t.stop();
  if (video) video.srcObject = null;
}
