/**
 * File downloads (CSV exports, the PDF report). A plain `<a href download>` cannot carry the
 * `X-Store-Id` header the API needs, so the file is fetched with the API client (session
 * cookie + header; `api.exportCsv`, `api.reportPdf`) and handed to the browser as a Blob URL.
 */

export interface DownloadProgress {
  received: number;
  /** From Content-Length; null for streamed responses (the CSV exports). */
  total: number | null;
}

export interface DownloadOptions {
  /** Used when the response has no Content-Disposition file name. */
  fallbackName: string;
  onProgress?: (progress: DownloadProgress) => void;
}

/** The file name of a Content-Disposition header (RFC 6266: filename* wins over filename). */
export function filenameFromDisposition(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star?.[1]) {
    try {
      return sanitizeFilename(decodeURIComponent(star[1].trim()));
    } catch {
      /* fall through to filename= */
    }
  }
  const plain = /filename\s*=\s*("([^"]*)"|[^;]+)/.exec(header);
  const name = plain?.[2] ?? plain?.[1];
  return name ? sanitizeFilename(name.trim()) : null;
}

function sanitizeFilename(name: string): string | null {
  const clean = name.replace(/[/\\?%*:|"<>\u0000-\u001f]/g, '_').trim();
  return clean && clean !== '.' && clean !== '..' ? clean : null;
}

async function readBody(response: Response, onProgress?: (p: DownloadProgress) => void): Promise<Blob> {
  const type = response.headers.get('content-type') ?? 'application/octet-stream';
  const length = Number(response.headers.get('content-length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  if (!onProgress || !response.body || typeof response.body.getReader !== 'function') return response.blob();
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  onProgress({ received, total });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress({ received, total });
  }
  return new Blob(chunks as BlobPart[], { type });
}

/** Hands a Blob to the browser as a download. */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.style.display = 'none';
  document.body.appendChild(a);
  a.click();
  a.remove();
  // Revoke later: some browsers start reading the URL only after the click handler returns.
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** Reads the file of an (ok) response, then saves it; resolves with the file's name and size. */
export async function downloadFile(
  request: Promise<Response>,
  { fallbackName, onProgress }: DownloadOptions,
): Promise<{ filename: string; size: number }> {
  const response = await request;
  const blob = await readBody(response, onProgress);
  const filename = filenameFromDisposition(response.headers.get('content-disposition')) ?? fallbackName;
  saveBlob(blob, filename);
  return { filename, size: blob.size };
}
