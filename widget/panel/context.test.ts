import { describe, expect, it } from 'vitest';
import { describeBrowser, describeError, toErrorContext } from './context.ts';

describe('error context', () => {
  it('reads a Keboola error body as-is, ignoring its "status": "error"', () => {
    expect(
      toErrorContext({ error: 'Not found', code: 'notFound', status: 'error', exceptionId: 'exception-1' }),
    ).toEqual({ message: 'Not found', exceptionId: 'exception-1' });
  });

  it('keeps the HTTP status, request id and URL of our shape', () => {
    const ctx = toErrorContext({ message: 'Boom', status: 503, requestId: 'r-1', url: 'https://app.test/x' });
    expect(ctx).toEqual({ message: 'Boom', status: 503, requestId: 'r-1', url: 'https://app.test/x' });
    expect(describeError(ctx)).toBe('Boom (HTTP 503, r-1)');
  });

  it('names an error without a message by its status', () => {
    expect(toErrorContext({ status: 502 }).message).toBe('HTTP 502');
  });
});

describe('browser', () => {
  it('tells Chrome, Edge, Firefox and Safari apart', () => {
    const chrome =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    expect(describeBrowser(chrome, 'Linux x86_64')).toBe('Chrome 131 (Linux x86_64)');
    expect(describeBrowser(`${chrome} Edg/131.0.0.0`, 'Win32')).toBe('Edge 131 (Win32)');
    expect(
      describeBrowser('Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0', ''),
    ).toBe('Firefox 133');
    expect(
      describeBrowser(
        'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Safari/605.1.15',
        'MacIntel',
      ),
    ).toBe('Safari 17 (MacIntel)');
  });
});
