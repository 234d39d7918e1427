// Runs the exact asset that storefronts receive (assets/referral-capture.js) inside a node:vm context,
// with fake document / location / fetch / sessionStorage objects: there is no DOM in the unit project.
import { readFileSync } from "node:fs";
import vm from "node:vm";
import { describe, expect, it } from "vitest";

type Outcome = "none" | "synced" | "already-synced" | "cart-has-code" | "error";

interface Config {
  param: string;
  days: number;
  attribute: string;
  root: string;
}

interface FakeResponse {
  ok: boolean;
  json(): Promise<unknown>;
}

interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

type FetchLike = (url: string, init?: RequestInit) => Promise<FakeResponse>;

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

interface Env {
  document: { cookie: string };
  location: { search: string; protocol: string };
  fetch: FetchLike | null;
  storage: StorageLike | null;
  config: Config;
}

interface UplineReferral {
  sanitizeCode(raw: unknown): string | null;
  codeFromSearch(search: unknown, param: string): string | null;
  readConfig(element: unknown): Config;
  buildCookie(code: string, days: number, secure: boolean): string;
  readCookie(cookieString: unknown, name: string): string;
  capture(env: unknown): Promise<Outcome>;
  boot(win: unknown): Promise<Outcome>;
  ready: Promise<Outcome> | null;
}

const source = readFileSync(new URL("./assets/referral-capture.js", import.meta.url), "utf8");

/** Evaluates the asset as a classic script in a fresh global; `globals` play the browser window. */
function loadAsset(globals: object = {}): UplineReferral {
  // No spread: it would run the getters of hostile globals here. A context passed back in is reused (a second load).
  const context = vm.isContext(globals) ? globals : vm.createContext(globals);
  vm.runInContext(source, context, { filename: "referral-capture.js" });
  return (context as { UplineReferral: UplineReferral }).UplineReferral;
}

const api = loadAsset();

/** A cookie jar with document.cookie semantics: reads give "a=1; b=2", each write sets one cookie. */
class FakeDocument {
  readonly writes: string[] = [];
  private readonly jar = new Map<string, string>();

  constructor(initial: Record<string, string> = {}) {
    for (const [name, value] of Object.entries(initial)) this.jar.set(name, value);
  }

  get cookie(): string {
    return [...this.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  set cookie(header: string) {
    this.writes.push(header);
    const pair = header.split(";")[0] ?? "";
    const eq = pair.indexOf("=");
    this.jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
  }
}

class FakeStorage implements StorageLike {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** A fetch that records calls and answers /cart.js with `cartAttributes`, everything else with 200 {}. */
function fakeFetch(cartAttributes: Record<string, string> = {}): { fetch: FetchLike; calls: Call[] } {
  const calls: Call[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, init });
    const body = url.endsWith("/cart.js") ? { token: "t", attributes: cartAttributes } : {};
    return Promise.resolve({ ok: true, json: () => Promise.resolve(body) });
  };
  return { fetch, calls };
}

const defaults: Config = { param: "ref", days: 30, attribute: "upline_ref", root: "/" };

function makeEnv(overrides: Partial<Env> & { search?: string } = {}): Env & { doc: FakeDocument; calls: Call[] } {
  const doc = overrides.document instanceof FakeDocument ? overrides.document : new FakeDocument();
  const { fetch, calls } = fakeFetch();
  return {
    document: overrides.document ?? doc,
    doc,
    location: overrides.location ?? { search: overrides.search ?? "", protocol: "https:" },
    fetch: overrides.fetch === undefined ? fetch : overrides.fetch,
    storage: overrides.storage === undefined ? new FakeStorage() : overrides.storage,
    config: overrides.config ?? defaults,
    calls,
  };
}

const UPDATE_INIT = (attribute: string, code: string): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/json", Accept: "application/json" },
  body: `{"attributes":{"${attribute}":"${code}"}}`,
});

describe("sanitizeCode", () => {
  it.each([
    ["ALICE", "ALICE"],
    ["bob_42-x", "bob_42-x"],
    ["  CAROL \n", "CAROL"],
    ["a".repeat(64), "a".repeat(64)],
  ])("accepts %j as %j", (raw, code) => {
    expect(api.sanitizeCode(raw)).toBe(code);
  });

  it.each([[""], ["   "], ["a b"], ["<script>"], ["ali%20ce"], ["dé"], ["a".repeat(65)], [null], [42], [undefined]])("rejects %j", (raw) => {
    expect(api.sanitizeCode(raw)).toBeNull();
  });
});

describe("codeFromSearch", () => {
  it.each([
    ["?ref=ALICE", "ref", "ALICE"],
    ["?utm_source=x&ref=BOB_1&x=y", "ref", "BOB_1"],
    ["ref=CAROL", "ref", "CAROL"],
    ["?ref=%20DAVE%20", "ref", "DAVE"],
    ["?ref=+ERIN+", "ref", "ERIN"],
    ["?aff=FRANK", "aff", "FRANK"],
    ["?ref=FIRST&ref=SECOND", "ref", "FIRST"],
  ])("%s with param %s gives %s", (search, param, code) => {
    expect(api.codeFromSearch(search, param)).toBe(code);
  });

  it.each([
    ["", "ref"],
    ["?reference=ALICE", "ref"],
    ["?ref=", "ref"],
    ["?ref", "ref"],
    ["?ref=bad%3Ccode%3E", "ref"],
    ["?ref=%E0%A4%A", "ref"],
    ["?ref=" + "x".repeat(65), "ref"],
    ["?aff=FRANK", "ref"],
  ])("%s with param %s gives nothing", (search, param) => {
    expect(api.codeFromSearch(search, param)).toBeNull();
  });
});

describe("readConfig", () => {
  const element = (attributes: Record<string, string>) => ({
    getAttribute: (name: string) => attributes[name] ?? null,
  });

  it("falls back to the defaults without a script element", () => {
    expect(api.readConfig(null)).toEqual(defaults);
  });

  it("reads the embed's data attributes", () => {
    const config = api.readConfig(element({ "data-param": "aff", "data-days": "7", "data-attribute": "partner", "data-root": "/fr" }));
    expect(config).toEqual({ param: "aff", days: 7, attribute: "partner", root: "/fr/" });
  });

  it.each([
    ["", 30],
    ["0", 30],
    ["-3", 30],
    ["abc", 30],
    ["12.9", 12],
    ["1000", 400],
  ])("cookie lifetime %j becomes %d days", (raw, days) => {
    expect(api.readConfig(element({ "data-days": raw })).days).toBe(days);
  });

  it.each([["//evil.example/"], ["https://evil.example/"], ["fr"]])("ignores the non-path root %j", (root) => {
    expect(api.readConfig(element({ "data-root": root })).root).toBe("/");
  });
});

describe("buildCookie", () => {
  it("is a first-party, Lax, site-wide cookie with the lifetime in seconds", () => {
    expect(api.buildCookie("ALICE", 30, true)).toBe("upline_ref=ALICE; Path=/; Max-Age=2592000; SameSite=Lax; Secure");
    expect(api.buildCookie("BOB", 1, false)).toBe("upline_ref=BOB; Path=/; Max-Age=86400; SameSite=Lax");
  });
});

describe("capture", () => {
  it("stores a code from the URL and writes it to the cart attributes", async () => {
    const env = makeEnv({ search: "?ref=ALICE" });
    await expect(api.capture(env)).resolves.toBe("synced");
    expect(env.doc.writes).toEqual(["upline_ref=ALICE; Path=/; Max-Age=2592000; SameSite=Lax; Secure"]);
    expect(env.calls).toEqual([{ url: "/cart/update.js", init: UPDATE_INIT("upline_ref", "ALICE") }]);
  });

  it("uses the configured parameter, lifetime, attribute key and locale root", async () => {
    const env = makeEnv({
      location: { search: "?aff=BOB", protocol: "http:" },
      config: { param: "aff", days: 7, attribute: "partner", root: "/fr/" },
    });
    await expect(api.capture(env)).resolves.toBe("synced");
    expect(env.doc.writes).toEqual(["upline_ref=BOB; Path=/; Max-Age=604800; SameSite=Lax"]);
    expect(env.calls).toEqual([{ url: "/fr/cart/update.js", init: UPDATE_INIT("partner", "BOB") }]);
  });

  it("ignores an invalid code: no cookie, no request", async () => {
    const env = makeEnv({ search: "?ref=%3Cscript%3E" });
    await expect(api.capture(env)).resolves.toBe("none");
    expect(env.doc.writes).toEqual([]);
    expect(env.calls).toEqual([]);
  });

  it("keeps the stored code when the URL code is invalid", async () => {
    const env = makeEnv({ search: "?ref=bad code", document: new FakeDocument({ upline_ref: "ALICE" }) });
    await expect(api.capture(env)).resolves.toBe("synced");
    expect(env.doc.writes).toEqual([]);
    expect(env.calls.map((call) => call.url)).toEqual(["/cart.js", "/cart/update.js"]);
    expect(env.calls[1]?.init).toEqual(UPDATE_INIT("upline_ref", "ALICE"));
  });

  it("lets the last click win: a new code replaces the stored one", async () => {
    const env = makeEnv({ search: "?ref=BOB", document: new FakeDocument({ upline_ref: "ALICE" }) });
    await expect(api.capture(env)).resolves.toBe("synced");
    expect(env.doc.cookie).toContain("upline_ref=BOB");
    expect(env.calls).toEqual([{ url: "/cart/update.js", init: UPDATE_INIT("upline_ref", "BOB") }]);
  });

  it("re-applies the stored code on a later page view when the cart lacks it", async () => {
    const { fetch, calls } = fakeFetch({ other: "x" });
    const env = makeEnv({ document: new FakeDocument({ upline_ref: "ALICE" }), fetch });
    await expect(api.capture(env)).resolves.toBe("synced");
    expect(calls).toEqual([
      { url: "/cart.js", init: { headers: { Accept: "application/json" } } },
      { url: "/cart/update.js", init: UPDATE_INIT("upline_ref", "ALICE") },
    ]);
  });

  it("sends no update when the cart already has the same code, and nothing more that session", async () => {
    const { fetch, calls } = fakeFetch({ upline_ref: "ALICE" });
    const storage = new FakeStorage();
    const document = new FakeDocument({ upline_ref: "ALICE", cart: "c1" });
    await expect(api.capture(makeEnv({ document, fetch, storage }))).resolves.toBe("cart-has-code");
    expect(calls.map((call) => call.url)).toEqual(["/cart.js"]);

    await expect(api.capture(makeEnv({ document, fetch, storage }))).resolves.toBe("already-synced");
    await expect(api.capture(makeEnv({ document, fetch, storage, search: "?ref=ALICE" }))).resolves.toBe("already-synced");
    expect(calls).toHaveLength(1);
  });

  it("checks again when the session moves to a new cart (after a checkout)", async () => {
    const { fetch, calls } = fakeFetch({});
    const storage = new FakeStorage();
    const document = new FakeDocument({ upline_ref: "ALICE", cart: "c1" });
    await api.capture(makeEnv({ document, fetch, storage }));
    document.cookie = "cart=c2";
    await expect(api.capture(makeEnv({ document, fetch, storage }))).resolves.toBe("synced");
    expect(calls.map((call) => call.url)).toEqual(["/cart.js", "/cart/update.js", "/cart.js", "/cart/update.js"]);
  });

  it("does nothing without a code", async () => {
    const env = makeEnv();
    await expect(api.capture(env)).resolves.toBe("none");
    expect(env.calls).toEqual([]);
  });
});

describe("errors are swallowed", () => {
  // [label, fetch, outcome]. The POST's body is never read, and a failed /cart.js check falls through to the
  // (idempotent) POST, so bad JSON still ends "synced".
  const failingFetches: Array<[string, FetchLike, Outcome]> = [
    [
      "throws",
      () => {
        throw new Error("boom");
      },
      "error",
    ],
    ["rejects", () => Promise.reject(new TypeError("Failed to fetch")), "error"],
    ["answers 500", () => Promise.resolve({ ok: false, json: () => Promise.resolve({}) }), "error"],
    ["answers bad JSON", () => Promise.resolve({ ok: true, json: () => Promise.reject(new SyntaxError("bad")) }), "synced"],
  ];

  it.each(failingFetches)("when fetch %s on a landing", async (_label, fetch, outcome) => {
    const env = makeEnv({ search: "?ref=ALICE", fetch });
    await expect(api.capture(env)).resolves.toBe(outcome);
    // The cookie is written before any request, so the referral survives for the next page view.
    expect(env.doc.cookie).toBe("upline_ref=ALICE");
  });

  it.each(failingFetches)("when fetch %s on a later page view", async (_label, fetch, outcome) => {
    const storage = new FakeStorage();
    const env = makeEnv({ document: new FakeDocument({ upline_ref: "ALICE" }), fetch, storage });
    await expect(api.capture(env)).resolves.toBe(outcome);
    // Marked as synced only after a successful write; otherwise the next page view retries.
    expect(storage.items.size).toBe(outcome === "synced" ? 1 : 0);
  });

  it("when fetch is missing, document.cookie throws, or storage throws", async () => {
    await expect(api.capture(makeEnv({ search: "?ref=ALICE", fetch: null }))).resolves.toBe("error");

    const hostileDocument = {
      get cookie(): string {
        throw new Error("SecurityError");
      },
      set cookie(_value: string) {
        throw new Error("SecurityError");
      },
    };
    await expect(api.capture(makeEnv({ search: "?ref=ALICE", document: hostileDocument }))).resolves.toBe("error");

    const hostileStorage: StorageLike = {
      getItem: () => {
        throw new Error("QuotaExceededError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
    };
    await expect(api.capture(makeEnv({ search: "?ref=ALICE", storage: hostileStorage }))).resolves.toBe("synced");
  });

  it("when the environment itself is broken", async () => {
    await expect(api.capture(null)).resolves.toBe("error");
    await expect(api.capture({})).resolves.toBe("error");
    await expect(api.boot(null)).resolves.toBe("error");
    await expect(api.boot({})).resolves.toBe("error");
  });

  it("when loading the script in a page whose globals throw", () => {
    const throwing = {
      get document(): never {
        throw new Error("blocked");
      },
    };
    expect(() => loadAsset(throwing)).not.toThrow();
  });
});

describe("as loaded by the app embed", () => {
  function browserGlobals(search: string, attributes: Record<string, string>, shopify: unknown = { customerPrivacy: { marketingAllowed: () => true } }) {
    const listeners = new Map<string, (event: unknown) => void>();
    const document = Object.assign(new FakeDocument(), {
      currentScript: { getAttribute: (name: string) => attributes[name] ?? null },
      addEventListener: (type: string, listener: (event: unknown) => void) => listeners.set(type, listener),
      dispatch: (type: string, detail: unknown) => listeners.get(type)?.({ detail }),
    });
    const calls: Array<{ url: string; init: RequestInit | undefined; self: unknown }> = [];
    const window: Record<string, unknown> = {
      document,
      location: { search, protocol: "https:" },
      sessionStorage: new FakeStorage(),
      Shopify: shopify,
      setTimeout,
    };
    // A browser's fetch throws when called without its window as `this`; insist on that here too.
    window.fetch = function (this: unknown, url: string, init?: RequestInit) {
      calls.push({ url, init, self: this });
      return Promise.resolve({ ok: true, json: () => Promise.resolve({ attributes: {} }) });
    };
    return { window, document, calls };
  }

  it("runs on load with the block settings from the script tag", async () => {
    const { window, document, calls } = browserGlobals("?aff=ALICE", {
      "data-param": "aff",
      "data-days": "14",
      "data-attribute": "upline_ref",
      "data-root": "/",
    });
    const loaded = loadAsset(window);
    await expect(loaded.ready).resolves.toBe("synced");
    expect(document.writes).toEqual(["upline_ref=ALICE; Path=/; Max-Age=1209600; SameSite=Lax; Secure"]);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.url).toBe("/cart/update.js");
    expect(calls[0]?.init).toEqual(UPDATE_INIT("upline_ref", "ALICE"));
    expect((calls[0]?.self as { document?: unknown } | undefined)?.document).toBe(document);
  });

  it("runs once when the embed is rendered twice", async () => {
    const { window, calls } = browserGlobals("?ref=ALICE", {});
    await loadAsset(window).ready;
    const second = loadAsset(window);
    await expect(second.ready).resolves.toBe("synced");
    expect(calls).toHaveLength(1);
  });

  it("loads the Customer Privacy API and writes the cookie only when marketing is allowed", async () => {
    const features: unknown[] = [];
    let allowed = true;
    const shopify = {
      loadFeatures(list: unknown, callback: (error?: unknown) => void) {
        features.push(list);
        Object.assign(shopify, { customerPrivacy: { marketingAllowed: () => allowed } });
        callback();
      },
    };
    const granted = browserGlobals("?ref=ALICE", {}, shopify);
    await expect(loadAsset(granted.window).ready).resolves.toBe("synced");
    expect(features).toEqual([[{ name: "consent-tracking-api", version: "0.1" }]]);
    expect(granted.document.writes).toEqual(["upline_ref=ALICE; Path=/; Max-Age=2592000; SameSite=Lax; Secure"]);

    allowed = false;
    const declined = browserGlobals("?ref=BOB", {}, { ...shopify, customerPrivacy: undefined });
    await expect(loadAsset(declined.window).ready).resolves.toBe("synced");
    // No cookie and no sessionStorage marker, but the cart attribute is still set from the link.
    expect(declined.document.writes).toEqual([]);
    expect((declined.window.sessionStorage as FakeStorage).items.size).toBe(0);
    expect(declined.calls.map((call) => call.init)).toEqual([UPDATE_INIT("upline_ref", "BOB")]);
  });

  it("treats a missing or failing Customer Privacy API as no consent", async () => {
    for (const shopify of [null, { loadFeatures: (_: unknown, callback: (error?: unknown) => void) => callback(new Error("blocked")) }]) {
      const { window, document, calls } = browserGlobals("?ref=ALICE", {}, shopify);
      await expect(loadAsset(window).ready).resolves.toBe("synced");
      expect(document.writes).toEqual([]);
      expect(calls).toHaveLength(1);
    }
  });

  it("expires a referral cookie left from before when marketing is not allowed, and does not use it", async () => {
    const { window, document, calls } = browserGlobals("", {}, { customerPrivacy: { marketingAllowed: () => false } });
    document.cookie = "upline_ref=OLD";
    document.writes.length = 0;
    await expect(loadAsset(window).ready).resolves.toBe("none");
    expect(document.writes).toEqual(["upline_ref=; Path=/; Max-Age=0; SameSite=Lax; Secure"]);
    expect(calls).toHaveLength(0);
  });

  it("stores the code once the visitor gives consent on the landing page", async () => {
    let allowed = false;
    const { window, document } = browserGlobals("?ref=ALICE", {}, { customerPrivacy: { marketingAllowed: () => allowed } });
    await loadAsset(window).ready;
    expect(document.writes).toEqual([]);
    document.dispatch("visitorConsentCollected", { marketingAllowed: false });
    allowed = true;
    document.dispatch("visitorConsentCollected", { marketingAllowed: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(document.writes).toEqual(["upline_ref=ALICE; Path=/; Max-Age=2592000; SameSite=Lax; Secure"]);
  });

  it("does not run without a document (Node, workers)", () => {
    expect(loadAsset().ready).toBeNull();
  });
});

describe("the embed's strings come from locales/", () => {
  const read = (path: string) => readFileSync(new URL(path, import.meta.url), "utf8");
  const lookup = (tree: unknown, key: string) => key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);

  it("every schema string is a t: key present in en.default.schema.json, and every t filter key in en.default.json", () => {
    const liquid = read("./blocks/referral-embed.liquid");
    const schema = JSON.parse(liquid.slice(liquid.indexOf("{% schema %}") + 12, liquid.indexOf("{% endschema %}"))) as {
      name: string;
      settings: { label: string; info: string }[];
    };
    const schemaStrings = [schema.name, ...schema.settings.flatMap((setting) => [setting.label, setting.info])];
    const schemaLocale = JSON.parse(read("./locales/en.default.schema.json"));
    for (const text of schemaStrings) {
      expect(text).toMatch(/^t:/);
      expect(typeof lookup(schemaLocale, text.slice(2)), text).toBe("string");
    }
    const storefrontLocale = JSON.parse(read("./locales/en.default.json"));
    const keys = [...liquid.matchAll(/\{\{\s*'([^']+)'\s*\|\s*t\s*\}\}/g)].map((match) => match[1]!);
    expect(keys).toEqual(["referral_capture.notice"]);
    for (const key of keys) expect(typeof lookup(storefrontLocale, key), key).toBe("string");
  });

  it("fills in and shows the notice when the visitor followed a link", async () => {
    const slot = { textContent: "" };
    const notice = { hidden: true, querySelector: () => slot };
    const document = Object.assign(new FakeDocument(), {
      currentScript: { getAttribute: () => null },
      querySelector: (selector: string) => (selector === "[data-upline-notice]" ? notice : null),
    });
    const window = {
      document,
      location: { search: "?ref=ALICE", protocol: "https:" },
      Shopify: { customerPrivacy: { marketingAllowed: () => true } },
      fetch: () => Promise.resolve({ ok: true, json: () => Promise.resolve({}) }),
    };
    await loadAsset(window).ready;
    expect(notice.hidden).toBe(false);
    expect(slot.textContent).toBe("ALICE");
  });
});
