// A long text (a reason can be 1,000 characters) clamped to a few lines, with "Show more".
import { useState } from 'preact/hooks';

const CLAMP_CHARS = 200;
const CLAMP_LINES = 3;
let seq = 0;

export function Clamp({ text, class: cls }: { text: string; class?: string }) {
  const [open, setOpen] = useState(false);
  const [id] = useState(() => `clamp-${++seq}`);
  const long = text.length > CLAMP_CHARS || text.split('\n').length > CLAMP_LINES;
  return (
    <div class={cls}>
      <div id={id} class={long && !open ? 'clamped' : undefined}>
        {text}
      </div>
      {long && (
        <button
          type="button"
          class="link"
          aria-expanded={open}
          aria-controls={id}
          onClick={() => setOpen(!open)}
        >
          {open ? 'Show less' : 'Show more'}
        </button>
      )}
    </div>
  );
}
