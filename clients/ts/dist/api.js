// The Rota Round API from a single-page app, typed from the OpenAPI document.
//
// `schema.d.ts` is generated from docs/openapi.yaml (`npm run generate`); openapi-fetch makes
// every call typed by it: paths, parameters, bodies and answers. Session cookies go with every
// request (`credentials: "include"`), and unsafe methods carry the X-CSRFToken header: the
// csrftoken cookie when the page can read it (same host name as the API), else the token
// `auth/csrf/` returned. See docs/csrf-cors.md.
import createClient, {} from "openapi-fetch";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS", "TRACE"]);
/** A non-2xx answer: `data` is `{"field": ["message", ...]}` for 400s, else `{"detail": ...}`. */
export class ApiError extends Error {
    status;
    data;
    retryAfter;
    constructor(status, data, retryAfter = null) {
        const detail = data?.detail;
        super(typeof detail === "string" ? detail : `HTTP ${status}`);
        this.status = status;
        this.data = data;
        this.retryAfter = retryAfter;
        this.name = "ApiError";
    }
}
/** The body of a 2xx answer, or an ApiError carrying the status and the error body. */
async function unwrap(pending) {
    const { data, error, response } = await pending;
    if (!response.ok) {
        // CORS_EXPOSE_HEADERS lists Retry-After, so a cross-origin page reads it on a 429.
        const retryAfter = response.headers.get("Retry-After");
        throw new ApiError(response.status, error, retryAfter === null ? null : Number(retryAfter));
    }
    return data;
}
function readCookie(name) {
    if (typeof document === "undefined")
        return null;
    const found = document.cookie.split("; ").find((c) => c.startsWith(`${name}=`));
    return found === undefined ? null : decodeURIComponent(found.slice(name.length + 1));
}
/** A client for the API at `baseUrl` (scheme, host and port; the paths hold `/api/v1/`). */
export function createApi(baseUrl) {
    const client = createClient({
        baseUrl: baseUrl.replace(/\/$/, ""),
        credentials: "include", // send and accept the session and CSRF cookies
        headers: { Accept: "application/json" },
    });
    let csrfToken = null;
    async function refreshCsrfToken() {
        csrfToken = (await unwrap(client.GET("/api/v1/auth/csrf/"))).csrfToken;
        return csrfToken;
    }
    const csrf = {
        async onRequest({ request }) {
            if (!SAFE_METHODS.has(request.method)) {
                const token = readCookie("csrftoken") ?? csrfToken ?? (await refreshCsrfToken());
                request.headers.set("X-CSRFToken", token);
            }
            return request;
        },
    };
    client.use(csrf);
    return {
        /** The openapi-fetch client itself, for every other operation: `api.client.GET(...)`. */
        client,
        refreshCsrfToken,
        async login(username, password) {
            await refreshCsrfToken();
            const me = await unwrap(client.POST("/api/v1/auth/login/", { body: { username, password } }));
            await refreshCsrfToken(); // Django rotated the token at login: re-read it
            return me;
        },
        me: () => unwrap(client.GET("/api/v1/auth/me/")),
        async logout() {
            await unwrap(client.POST("/api/v1/auth/logout/"));
            csrfToken = null;
        },
        createPerson: (body) => unwrap(client.POST("/api/v1/people/", { body })),
        /** One page of rotas (`page` from 1), with `count`, `next` and `previous`. */
        listRotas: (page = 1) => unwrap(client.GET("/api/v1/rotas/", { params: { query: { page } } })),
        createRota: (body) => unwrap(client.POST("/api/v1/rotas/", { body })),
        /** Who is on duty when, between `start` and `end` (the API's window when left out). */
        schedule: (id, query = {}) => unwrap(client.GET("/api/v1/rotas/{id}/schedule/", { params: { path: { id }, query } })),
        createOverride: (body) => unwrap(client.POST("/api/v1/overrides/", { body })),
    };
}
/** The name of whoever holds the rota now, or null: a read through the generated types. */
export function currentHolderName(rota) {
    return rota.current?.person?.name ?? null;
}
