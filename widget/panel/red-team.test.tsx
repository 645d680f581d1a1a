// User and host text in the ticket form is shown as text: nothing a host passes to init, nor what a
// user types into the draft, opens a tag inside the widget's shadow root.
import { fireEvent } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { startWidget, useBackend } from './test-kit.ts';

useBackend();
const evil = '<img src=x onerror="globalThis.__pwned=1">';

describe('the ticket form shows text as text', () => {
  it('the context shown before sending and a typed draft open no tag', async () => {
    const w = startWidget({
      project: { id: 100, name: `Acme ${evil}` },
      user: { name: `Ada ${evil}`, email: 'admin@acme.test' },
      appVersion: `2.4.1 ${evil}`,
    });
    fireEvent.click(w.button());
    fireEvent.click(await w.ui.findByRole('button', { name: /Contact support/ }));
    const subject = await w.ui.findByRole('textbox', { name: 'Subject' });
    fireEvent.input(subject, { target: { value: `Subject ${evil}` } });
    fireEvent.input(w.ui.getByRole('textbox', { name: 'Description' }), {
      target: { value: `Description ${evil}` },
    });
    const context = w.ui.getByRole('region', { name: 'Sent with your ticket' });
    expect(context.textContent).toContain(`Acme ${evil} (100)`);
    expect(context.textContent).toContain(`Ada ${evil}`);
    expect(context.textContent).toContain(`2.4.1 ${evil}`);
    expect(w.root.querySelector('img')).toBeNull();
    expect((globalThis as { __pwned?: number }).__pwned).toBeUndefined();
  });
});
