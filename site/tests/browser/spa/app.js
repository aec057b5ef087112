// The test SPA: every call goes through the typed client of clients/ts (built to
// clients/ts/dist, served at /client/), cross-origin with credentials: "include" and the
// X-CSRFToken header, exactly as docs/csrf-cors.md tells an SPA to.
// The API's origin comes from ?api=http://127.0.0.1:PORT.
import { ApiError, createApi, currentHolderName } from "/client/api.js";

const API = (new URLSearchParams(location.search).get("api") || "http://127.0.0.1:8000").replace(/\/$/, "");
const api = createApi(API);
let step = 0;
let lastStatus = null;
// openapi-fetch middleware: the status of each answer, for the page's log and the tests.
api.client.use({ onResponse({ response }) { lastStatus = response.status; } });

document.getElementById("page-origin").textContent = location.origin;
document.getElementById("api-origin").textContent = API;

function show(what, status, body) {
  const row = document.createElement("tr");
  const kind = status === "blocked" ? "blocked" : status < 400 ? "ok" : "refused";
  const text = typeof body === "string" ? body : JSON.stringify(body);
  row.innerHTML = `<td>${++step}</td><td><code></code></td><td class="status ${kind}"></td><td><code></code></td>`;
  row.cells[1].firstChild.textContent = what;
  row.cells[2].textContent = status;
  row.cells[3].firstChild.textContent = text && text.length > 400 ? text.slice(0, 400) + " …" : text;
  document.getElementById("log").appendChild(row);
}

// {status, body} for the tests: the client's answer, its ApiError, or a fetch that failed.
async function call(what, run) {
  lastStatus = null;
  try {
    const body = (await run()) ?? null;
    show(what, lastStatus, body);
    return { status: lastStatus, body };
  } catch (error) {
    if (error instanceof ApiError) {
      show(what, error.status, error.data);
      return { status: error.status, body: error.data };
    }
    // A CORS refusal: the browser hides the response (and skips the request if the
    // preflight was refused); fetch only says it failed.
    show(what, "blocked", String(error));
    return { status: null, error: String(error) };
  }
}

window.rota = {
  csrf: () => call("csrf", async () => ({ csrfToken: await api.refreshCsrfToken() })),
  login: (username, password) => call("login", () => api.login(username, password)),
  me: () => call("me", () => api.me()),
  createPerson: (fields) => call("create person", () => api.createPerson(fields)),
  createRota: (fields) => call("create rota", () => api.createRota(fields)),
  listRotas: () =>
    call("list rotas", async () => {
      const page = await api.listRotas();
      return { ...page, holders: page.results.map(currentHolderName) };
    }),
  schedule: (id, window) => call("schedule", () => api.schedule(id, window)),
  createOverride: (fields) => call("create override", () => api.createOverride(fields)),
  logout: () => call("logout", () => api.logout()),
};
