/**
 * Saves text as a file the way a browser downloads one: a Blob, an object URL, a click on an
 * `<a download>`. The URL is revoked once the click has handed the Blob to the download.
 */
export function downloadText(fileName: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // The download has taken its own reference by the next task; revoking sooner can cancel it.
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
