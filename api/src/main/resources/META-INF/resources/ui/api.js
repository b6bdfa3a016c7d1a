'use strict';
// Thin client for the UGA REST API: basic-auth credentials live in sessionStorage for this tab only.
const Api = (() => {
  const KEY = 'uga.auth';
  const auth = () => sessionStorage.getItem(KEY);

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem && problem.detail ? problem.detail : 'HTTP ' + status);
      this.status = status;
      this.problem = problem;
    }
  }

  async function request(method, path, body, contentType) {
    const headers = { 'X-Requested-With': 'XMLHttpRequest' };
    if (auth()) headers['Authorization'] = 'Basic ' + auth();
    if (body !== undefined && body !== null) {
      headers['Content-Type'] = contentType || 'application/json';
      if (!contentType) body = JSON.stringify(body);
    }
    const res = await fetch(path, { method, headers, body });
    if (!res.ok) {
      let problem = null;
      try { problem = await res.json(); } catch (e) { /* not JSON */ }
      throw new ApiError(res.status, problem);
    }
    return res;
  }

  return {
    ApiError,
    login(user, password) {
      sessionStorage.setItem(KEY, btoa(unescape(encodeURIComponent(user + ':' + password))));
    },
    logout() { sessionStorage.removeItem(KEY); },
    loggedIn() { return !!auth(); },
    async json(method, path, body) {
      const res = await request(method, path, body);
      return res.status === 204 ? null : res.json();
    },
    async blob(path) { return (await request('GET', path)).blob(); },
    async upload(path, blob, contentType) {
      const res = await request('POST', path, blob, contentType);
      return res.status === 204 ? null : res.json();
    },
  };
})();
