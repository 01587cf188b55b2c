// The one script our pages load (same origin, so the CSP can stay "script-src 'self'"). ownCloud's "Add to your
// cloud" button sends the browser to /index.php/apps/files#remote=…&token=…&owner=…&name=…&protected=0|1; the
// fragment never reaches the server, so this moves it into the query string (files page) or into the login form's
// redirect target (login page). Everything else — the confirmation, the password prompt — is server-rendered.
export const ADD_SHARE_SCRIPT = `(function () {
  var hash = window.location.hash.slice(1);
  var params = new URLSearchParams(hash);
  if (!params.get('remote') || !params.get('token')) return;
  var target = '/index.php/apps/files/?' + hash;
  var login = document.querySelector('form[name="login"]');
  if (login) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = 'redirect_url';
    input.value = target;
    login.appendChild(input);
  } else {
    window.location.replace(target);
  }
})();
`;
