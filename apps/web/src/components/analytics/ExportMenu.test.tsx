import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { filenameFromDisposition } from '../../api/download';
import { jsonResponse, renderWithApp, sent } from '../../test/utils';
import { ExportMenu } from './ExportMenu';

const FILTERS = { dateRange: 'custom', start: '2025-03-01', end: '2025-03-31', groupBy: 'week', channel: 'chat' } as const;

let clicked: { href: string; download: string }[] = [];

beforeEach(() => {
  clicked = [];
  vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:fake'), revokeObjectURL: vi.fn() }));
  vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    clicked.push({ href: this.href, download: this.download });
  });
});
afterEach(() => vi.unstubAllGlobals());

function csvResponse(body: string, filename: string) {
  return new Response(body, {
    status: 200,
    headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': `attachment; filename="${filename}"` },
  });
}

describe('ExportMenu', () => {
  it('fetches the CSV with the view’s range and filters and the store header, then saves it', async () => {
    let release!: (r: Response) => void;
    const fetchMock = vi.fn().mockReturnValue(new Promise<Response>((r) => (release = r)));
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<ExportMenu storeId="store-1" filters={FILTERS} />);

    fireEvent.click(screen.getByRole('button', { name: /Inquiries CSV/ }));
    // in progress: every export button is disabled, the status says so
    expect(screen.getByRole('button', { name: /Inquiries CSV/ })).toHaveAttribute('aria-busy', 'true');
    for (const b of screen.getAllByRole('button')) expect(b).toBeDisabled();
    expect(screen.getByTestId('export-status')).toHaveTextContent('Preparing Inquiries CSV');

    const request = sent(fetchMock.mock.calls[0]);
    expect(request.url).toBe('/api/v1/analytics/wismo/export.csv?date_range=custom&start=2025-03-01&end=2025-03-31&channel=chat&dataset=inquiries');
    expect(request.headers.get('X-Store-Id')).toBe('store-1');
    expect(request.credentials).toBe('include');

    release(csvResponse('id,createdAt\r\n1,2025-03-02\r\n', 'wismo-inquiries-2025-03-01-2025-03-31.csv'));
    await waitFor(() => expect(screen.getByTestId('export-status')).toHaveTextContent('Saved wismo-inquiries-2025-03-01-2025-03-31.csv'));
    expect(clicked).toEqual([{ href: 'blob:fake', download: 'wismo-inquiries-2025-03-01-2025-03-31.csv' }]);
    expect(URL.createObjectURL).toHaveBeenCalledTimes(1);
    for (const b of screen.getAllByRole('button')) expect(b).toBeEnabled();
  });

  it('downloads the PDF report', async () => {
    const fetchMock = vi.fn().mockResolvedValue(
      new Response('%PDF-1.4', { headers: { 'Content-Type': 'application/pdf', 'Content-Disposition': 'attachment; filename="wismo-report.pdf"' } }),
    );
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<ExportMenu storeId="store-1" filters={{ dateRange: '7d', groupBy: 'day' }} />);
    fireEvent.click(screen.getByRole('button', { name: /PDF report/ }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(sent(fetchMock.mock.calls[0]).url).toBe('/api/v1/analytics/wismo/report.pdf?date_range=7d');
    expect(sent(fetchMock.mock.calls[0]).headers.get('Accept')).toBe('application/pdf');
    expect(clicked[0]!.download).toBe('wismo-report.pdf');
  });

  it('shows the problem and retries', async () => {
    const fetchMock = vi
      .fn()
      .mockResolvedValueOnce(jsonResponse({ title: 'Unprocessable', status: 422, detail: 'end before start' }, 422, 'application/problem+json'))
      .mockResolvedValueOnce(csvResponse('date\r\n', 'daily.csv'));
    vi.stubGlobal('fetch', fetchMock);
    renderWithApp(<ExportMenu storeId="store-1" filters={{ dateRange: '30d', groupBy: 'day' }} />);
    fireEvent.click(screen.getByRole('button', { name: /Daily CSV/ }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Daily CSV failed: end before start');
    expect(clicked).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(clicked).toHaveLength(1));
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('filenameFromDisposition', () => {
  it('reads filename and filename*, and refuses paths', () => {
    expect(filenameFromDisposition('attachment; filename="a.csv"')).toBe('a.csv');
    expect(filenameFromDisposition("attachment; filename=\"x.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf")).toBe('résumé.pdf');
    expect(filenameFromDisposition('attachment; filename="../../etc/passwd"')).toBe('.._.._etc_passwd');
    expect(filenameFromDisposition(null)).toBeNull();
  });
});
