// The SPA side of docs/csrf-cors.md, reduced to what the browser tests drive: every call is
// a cross-origin fetch with credentials: "include", and unsafe methods send X-CSRFToken.
// The API's origin comes from ?api=http://127.0.0.1:PORT.
"use strict";

const API = (new URLSearchParams(location.search).get("api") || "http://127.0.0.1:8000").replace(/\/$/, "");
const SAFE = ["GET", "HEAD", "OPTIONS"];
let csrfToken = null;
let step = 0;

document.getElementById("page-origin").textContent = location.origin;
document.getElementById("api-origin").textContent = API;

function show(method, path, status, body) {
  const row = document.createElement("tr");
  const kind = status === "blocked" ? "blocked" : status < 400 ? "ok" : "refused";
  const text = typeof body === "string" ? body : JSON.stringify(body);
  row.innerHTML = `<td>${++step}</td><td><code></code></td><td class="status ${kind}"></td><td><code></code></td>`;
  row.cells[1].firstChild.textContent = `${method} ${path}`;
  row.cells[2].textContent = status;
  row.cells[3].firstChild.textContent = text && text.length > 400 ? text.slice(0, 400) + " …" : text;
  document.getElementById("log").appendChild(row);
}

async function call(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (!SAFE.includes(method)) headers["X-CSRFToken"] = csrfToken;
  try {
    const response = await fetch(API + path, {
      method,
      headers,
      credentials: "include",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let data = text;
    try { data = text ? JSON.parse(text) : null; } catch (_) { /* not JSON */ }
    show(method, path, response.status, data);
    return { status: response.status, body: data };
  } catch (error) {
    // A CORS refusal: the browser hides the response (and skips the request if the
    // preflight was refused); fetch only says it failed.
    show(method, path, "blocked", String(error));
    return { status: null, error: String(error) };
  }
}

window.rota = {
  async csrf() {
    const answer = await call("GET", "/api/v1/auth/csrf/");
    if (answer.status === 200) csrfToken = answer.body.csrfToken;
    return answer;
  },
  async login(username, password) {
    const answer = await call("POST", "/api/v1/auth/login/", { username, password });
    if (answer.status === 200) await this.csrf(); // Django rotates the token at sign-in
    return answer;
  },
  me: () => call("GET", "/api/v1/auth/me/"),
  createPerson: (fields) => call("POST", "/api/v1/people/", fields),
  createRota: (fields) => call("POST", "/api/v1/rotas/", fields),
  schedule: (id) => call("GET", `/api/v1/rotas/${id}/schedule/`),
  logout: () => call("POST", "/api/v1/auth/logout/"),
};
