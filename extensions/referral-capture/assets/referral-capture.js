/*
 * Upline referral capture: a theme app extension asset, served to storefronts as-is (no bundler).
 *
 * A visitor who lands on ?ref=CODE gets CODE in a first-party cookie, and CODE is written to the cart
 * attributes, so it rides the order into `note_attributes` where Upline's ingest reads it.
 *
 * Attribution rule: LAST CLICK WINS within the cookie lifetime. A newer referral link replaces the stored
 * code and restarts its lifetime, and the cart attribute follows. This is the usual affiliate convention,
 * and it keeps one rule that a distributor and a merchant can both predict.
 *
 * Request budget: a landing with ?ref= costs one POST /cart/update.js. Later page views check /cart.js
 * once per session and cart (remembered in sessionStorage) and write only if the cart lacks the code.
 *
 * It must never break the storefront: every entry point catches everything, and the async work resolves
 * to an outcome string instead of rejecting.
 *
 * Consent (Shopify's Customer Privacy API, window.Shopify.customerPrivacy): the referral cookie is marketing
 * storage, so it is written (and a stored code read) only when marketingAllowed() says so. That answer already
 * combines the merchant's settings, the visitor's region and their choice: true where no consent is required.
 * Without permission a ?ref= link still writes the cart attribute (it travels with the cart the visitor is
 * buying with, like a coupon code, and is not browser storage of ours) but nothing is remembered: no cookie, no
 * sessionStorage marker, and a referral cookie left from before is expired. When the visitor gives consent on the
 * landing page (the `visitorConsentCollected` event), the code is stored then. If the API cannot be loaded, the
 * answer is "not allowed".
 *
 * The logic is plain functions that take their document, location, fetch and storage as arguments, so
 * tests can run this exact file in Node with fakes. They are published on globalThis.UplineReferral.
 */
(function (root) {
  "use strict";

  const CODE_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
  const COOKIE_NAME = "upline_ref";
  const SYNCED_KEY = "upline_ref_synced";
  const CART_COOKIE = "cart";
  const DEFAULTS = { param: "ref", days: 30, attribute: "upline_ref", root: "/" };
  // Chrome and others cap cookie lifetimes at 400 days; a longer setting would only pretend.
  const MAX_DAYS = 400;
  const DAY_SECONDS = 86400;
  // How long to wait for the Customer Privacy API before treating consent as not given.
  const CONSENT_TIMEOUT_MS = 3000;

  /** A referral code, or null: trimmed, 1-64 of [A-Za-z0-9_-]. Anything else is ignored, never "repaired". */
  function sanitizeCode(raw) {
    if (typeof raw !== "string") return null;
    const code = raw.trim();
    return CODE_PATTERN.test(code) ? code : null;
  }

  function decodeQueryPart(part) {
    try {
      return decodeURIComponent(part.replace(/\+/g, " "));
    } catch {
      return null; // malformed %-escape
    }
  }

  /** The sanitized code from a location.search string; only the first occurrence of the parameter counts. */
  function codeFromSearch(search, param) {
    if (typeof search !== "string" || !param) return null;
    const query = search.charAt(0) === "?" ? search.slice(1) : search;
    const pairs = query.split("&");
    for (let i = 0; i < pairs.length; i++) {
      const pair = pairs[i];
      const eq = pair.indexOf("=");
      const key = decodeQueryPart(eq < 0 ? pair : pair.slice(0, eq));
      if (key !== param) continue;
      const value = decodeQueryPart(eq < 0 ? "" : pair.slice(eq + 1));
      return sanitizeCode(value);
    }
    return null;
  }

  function trimmedOr(value, fallback) {
    const text = typeof value === "string" ? value.trim() : "";
    return text || fallback;
  }

  function lifetimeDays(raw) {
    const days = Math.floor(Number(raw));
    if (!isFinite(days) || days < 1) return DEFAULTS.days;
    return Math.min(days, MAX_DAYS);
  }

  // The locale root ("/" or "/fr") keeps Ajax calls on the visitor's market; anything that is not a plain
  // same-origin path ("//host", "https://…") falls back to "/", so a bad setting cannot send requests elsewhere.
  function cartRoot(raw) {
    const path = trimmedOr(raw, DEFAULTS.root);
    if (path.charAt(0) !== "/" || path.charAt(1) === "/") return DEFAULTS.root;
    return path.charAt(path.length - 1) === "/" ? path : path + "/";
  }

  /** Settings from the embed's script tag (data-param, data-days, data-attribute, data-root), with defaults. */
  function readConfig(element) {
    const get = function (name) {
      return element && typeof element.getAttribute === "function" ? element.getAttribute(name) : null;
    };
    return {
      param: trimmedOr(get("data-param"), DEFAULTS.param),
      days: lifetimeDays(get("data-days")),
      attribute: trimmedOr(get("data-attribute"), DEFAULTS.attribute),
      root: cartRoot(get("data-root")),
    };
  }

  /** The Set-Cookie string for a code. The code is already [A-Za-z0-9_-], so it needs no encoding. */
  function buildCookie(code, days, secure) {
    const cookie = COOKIE_NAME + "=" + code + "; Path=/; Max-Age=" + days * DAY_SECONDS + "; SameSite=Lax";
    return secure ? cookie + "; Secure" : cookie;
  }

  /** The Set-Cookie string that removes the referral cookie. */
  function expiredCookie(secure) {
    const cookie = COOKIE_NAME + "=; Path=/; Max-Age=0; SameSite=Lax";
    return secure ? cookie + "; Secure" : cookie;
  }

  /** The raw value of one cookie from a document.cookie string, or "" when absent. */
  function readCookie(cookieString, name) {
    if (typeof cookieString !== "string") return "";
    const parts = cookieString.split(";");
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i].trim();
      if (part.slice(0, name.length + 1) === name + "=") return part.slice(name.length + 1);
    }
    return "";
  }

  // sessionStorage can be missing or throw (Safari private mode, sandboxed frames); then we simply check again.
  function storageGet(storage, key) {
    try {
      return storage ? storage.getItem(key) : null;
    } catch {
      return null;
    }
  }

  function storageSet(storage, key, value) {
    try {
      if (storage) storage.setItem(key, value);
    } catch {
      /* nothing to do: the next page view checks the cart again */
    }
  }

  // "Synced" is remembered per code AND per cart: after checkout Shopify starts a new cart (new `cart`
  // cookie), which must get the attribute again within the same session.
  function syncedMarker(code, doc) {
    return code + "|" + readCookie(doc.cookie, CART_COOKIE);
  }

  // Only a cart KNOWN to hold the code skips the write; when the check fails we write anyway (it is idempotent).
  async function cartHasCode(env, code) {
    try {
      const response = await env.fetch(env.config.root + "cart.js", { headers: { Accept: "application/json" } });
      if (!response || !response.ok) return false;
      const cart = await response.json();
      const attributes = cart && cart.attributes;
      return Boolean(attributes) && attributes[env.config.attribute] === code;
    } catch {
      return false;
    }
  }

  async function writeCartAttribute(env, code) {
    const attributes = {};
    attributes[env.config.attribute] = code;
    const response = await env.fetch(env.config.root + "cart/update.js", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ attributes }),
    });
    return Boolean(response && response.ok);
  }

  /**
   * One page view. env = { document, location, fetch, storage, config }.
   * Resolves to "none" | "synced" | "already-synced" | "cart-has-code" | "error"; never rejects.
   */
  /** env.marketingAllowed() → Promise<boolean>; absent (unit tests of the cookie logic only) counts as allowed. */
  async function marketingAllowed(env) {
    if (typeof env.marketingAllowed !== "function") return true;
    try {
      return (await env.marketingAllowed()) === true;
    } catch {
      return false;
    }
  }

  async function capture(env) {
    try {
      const doc = env.document;
      const secure = Boolean(env.location && env.location.protocol === "https:");
      const fromUrl = codeFromSearch(env.location && env.location.search, env.config.param);
      const allowed = await marketingAllowed(env);
      if (fromUrl && allowed) doc.cookie = buildCookie(fromUrl, env.config.days, secure);
      if (!allowed && readCookie(doc.cookie, COOKIE_NAME)) doc.cookie = expiredCookie(secure);
      const code = fromUrl || (allowed ? sanitizeCode(readCookie(doc.cookie, COOKIE_NAME)) : null);
      if (!code) return "none";
      const storage = allowed ? env.storage : null;

      if (storageGet(storage, SYNCED_KEY) === syncedMarker(code, doc)) return "already-synced";
      // A fresh ?ref= is written straight away: checking the cart first would cost the same one request.
      if (!fromUrl && (await cartHasCode(env, code))) {
        storageSet(storage, SYNCED_KEY, syncedMarker(code, doc));
        return "cart-has-code";
      }
      if (!(await writeCartAttribute(env, code))) return "error"; // retried on the next page view
      // Read the marker after the write: the POST may just have created the cart and its cookie.
      storageSet(storage, SYNCED_KEY, syncedMarker(code, doc));
      return "synced";
    } catch {
      return "error";
    }
  }

  function sessionStorageOf(win) {
    try {
      return win.sessionStorage || null;
    } catch {
      return null;
    }
  }

  /**
   * The Customer Privacy API's marketingAllowed(), loaded on demand with Shopify.loadFeatures
   * ("consent-tracking-api"); false when it is missing, fails or does not answer in time.
   */
  function consentOf(win) {
    return function () {
      return new Promise(function (resolve) {
        const answer = function () {
          try {
            resolve(win.Shopify.customerPrivacy.marketingAllowed() === true);
          } catch {
            resolve(false);
          }
        };
        try {
          const shopify = win.Shopify;
          if (shopify && shopify.customerPrivacy && typeof shopify.customerPrivacy.marketingAllowed === "function") return answer();
          if (!shopify || typeof shopify.loadFeatures !== "function") return resolve(false);
          setTimeout(function () {
            resolve(false);
          }, CONSENT_TIMEOUT_MS);
          shopify.loadFeatures([{ name: "consent-tracking-api", version: "0.1" }], function (error) {
            if (error) resolve(false);
            else answer();
          });
        } catch {
          resolve(false);
        }
      });
    };
  }

  /** Runs capture() against a real window; must be called while the embed's script tag is executing. */
  function boot(win) {
    try {
      const doc = win.document;
      const env = {
        document: doc,
        location: win.location,
        // Unbound window.fetch throws "Illegal invocation" in browsers.
        fetch: typeof win.fetch === "function" ? win.fetch.bind(win) : null,
        storage: sessionStorageOf(win),
        config: readConfig(doc.currentScript),
        marketingAllowed: consentOf(win),
      };
      // Consent given on this page (the visitor answers the banner): store the code now.
      if (typeof doc.addEventListener === "function") {
        doc.addEventListener("visitorConsentCollected", function (event) {
          const detail = event && event.detail;
          if (detail && detail.marketingAllowed === true) {
            capture(
              Object.assign({}, env, {
                marketingAllowed: function () {
                  return Promise.resolve(true);
                },
              }),
            );
          }
        });
      }
      return capture(env).then(function (outcome) {
        showNotice(doc, codeFromSearch(env.location && env.location.search, env.config.param));
        return outcome;
      });
    } catch {
      return Promise.resolve("error");
    }
  }

  /**
   * The embed's optional notice (show_notice): its text comes from the theme's locale (the t filter); this only
   * fills in the code of the link the visitor followed and shows it.
   */
  function showNotice(doc, code) {
    try {
      const notice = code && typeof doc.querySelector === "function" ? doc.querySelector("[data-upline-notice]") : null;
      if (!notice) return;
      const slot = notice.querySelector("[data-upline-notice-code]");
      if (slot) slot.textContent = code;
      notice.hidden = false;
    } catch {
      /* never throw into the storefront */
    }
  }

  try {
    const api = { sanitizeCode, codeFromSearch, readConfig, buildCookie, readCookie, capture, boot, consentOf, ready: null };
    const previous = root.UplineReferral;
    root.UplineReferral = api;
    // The embed may be rendered twice (a theme that duplicates the body, a re-injected block): run once.
    if (previous && previous.ready) {
      api.ready = previous.ready;
    } else if (typeof root.document !== "undefined") {
      api.ready = boot(root);
    }
  } catch {
    /* never throw into the storefront */
  }
})(typeof globalThis !== "undefined" ? globalThis : this);
