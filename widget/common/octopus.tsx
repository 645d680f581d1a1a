// The octopus badge of support users: drawn, so it shows where no emoji font is installed. The users
// panel and "My tickets" both show it.
export function Octopus() {
  return (
    <svg class="ico" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path
        fill="currentColor"
        d="M8 1a5 5 0 0 0-5 5c0 1.6.7 2.7 1.6 3.4L2.3 13a1 1 0 0 0 1.4 1.2l2-2.4.3 2.6a1 1 0 0 0 2 0L8 12l.1 2.4a1 1 0 0 0 2 0l.3-2.6 2 2.4a1 1 0 0 0 1.4-1.2l-2.3-3.6C12.3 8.7 13 7.6 13 6a5 5 0 0 0-5-5Z"
      />
      <circle class="eye" cx="6" cy="6" r="1" />
      <circle class="eye" cx="10" cy="6" r="1" />
    </svg>
  );
}
