// Shared by the widget's e2e pages: records CSP violations, then queues the widget's init with the
// snippet (an external file, so that it also runs under `script-src 'self'`).
window.cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`);
});

window.SupportKit =
  window.SupportKit ||
  function () {
    window.SupportKit.q = window.SupportKit.q || [];
    // biome-ignore lint/complexity/noArguments: the snippet queues its arguments object as-is
    window.SupportKit.q.push(arguments);
  };

const params = new URLSearchParams(location.search);
window.SupportKit('init', {
  apiBaseUrl: location.origin,
  token: params.get('token') || 'demo-admin-token',
  project: { id: 100, name: 'Acme Main' },
  // The host knows the user's role in the project: where the badge is missing, admin/share get the
  // count of pending requests for the dot instead.
  user: { name: 'Ada Admin', email: 'admin@acme.test', role: params.get('role') || 'admin' },
  locale: params.get('locale') || 'en',
  theme: params.get('theme') || 'light',
  appVersion: '2.4.1',
  docsUrl: 'https://help.keboola.com/',
  statusUrl: 'https://status.keboola.com/',
  catchFetchErrors: true,
  usersPanel: params.has('users'),
  // The Keboola e2e: support users by e-mail domain, and where tickets go without our endpoint.
  ...(params.get('supportDomains') ? { supportEmailDomains: params.get('supportDomains').split(',') } : {}),
  ...(params.get('supportEmail') ? { supportEmail: params.get('supportEmail') } : {}),
});

// `?mount`: the users panel mounted into the page through the public API (the snippet queues it).
if (params.has('mount')) {
  document.addEventListener('DOMContentLoaded', () => {
    window.SupportKit('mountUsers', document.getElementById('users-root'), {
      apiBaseUrl: location.origin,
      token: params.get('token') || 'demo-admin-token',
      projectId: 100,
      locale: params.get('locale') || 'en',
    });
  });
}

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('fail')?.addEventListener('click', () => {
    window.SupportKit('reportError', {
      error: 'Table in.c-main.orders was not found',
      code: 'storage.tables.notFound',
      status: 'error',
      exceptionId: 'exception-7f3a9c',
    });
  });
});
