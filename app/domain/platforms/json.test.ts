import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { JsonParseError, parseByQuotingUnsafeIntegers, parseJsonLossless, parseWithSourceText } from "./json";
import { fixtureText, shopifyWireText } from "~test/support/platforms/fixtures";

const STRATEGIES = [
  ["parseJsonLossless", parseJsonLossless],
  ["source text (Node 22+)", parseWithSourceText],
  ["quoting fallback", parseByQuotingUnsafeIntegers],
] as const;

const SHOPIFY_LIKE = `{"id":820982911946154508,"order_id":-9007199254740993,"count":3,"price":"199.00",
  "rate":0.06,"big_float":1e21,"max_safe":9007199254740991,"text":"id 820982911946154508 \\"quoted\\" 123456789012345678901",
  "line_items":[{"id":866550311766439020,"quantity":1}],"nested":[[141249953214522974]]}`;

describe.each(STRATEGIES)("%s", (_name, parse) => {
  it("keeps integers beyond 2^53 as their exact decimal strings", () => {
    expect(parse(SHOPIFY_LIKE)).toEqual({
      id: "820982911946154508",
      order_id: "-9007199254740993",
      count: 3,
      price: "199.00",
      rate: 0.06,
      big_float: 1e21,
      max_safe: 9007199254740991,
      text: 'id 820982911946154508 "quoted" 123456789012345678901',
      line_items: [{ id: "866550311766439020", quantity: 1 }],
      nested: [["141249953214522974"]],
    });
  });

  it("parses a whole document that is one big integer", () => {
    expect(parse("820982911946154508")).toBe("820982911946154508");
  });

  it.each([
    ["trailing comma", '{"a": 1,}'],
    ["unterminated object", '{"id": 820982911946154508'],
    ["leading zeros", "01234567890123456789"],
    ["empty text", ""],
    ["unterminated string", '{"a": "b'],
    ["bare word", "undefined"],
  ])("throws a JsonParseError on %s", (_case, text) => {
    expect(() => parse(text)).toThrow(JsonParseError);
    expect(() => parse(text)).toThrow(/^Malformed JSON: /);
  });
});

describe("parseJsonLossless", () => {
  it("keeps the exact ids of a real Shopify delivery that JSON.parse would round", () => {
    const text = shopifyWireText("orders_create.sample.trigger-dev.json");
    const naive = JSON.parse(text) as { id: number };
    expect(String(naive.id)).toBe("820982911946154500"); // the corruption this module exists to prevent

    const lossless = parseJsonLossless(text) as { id: unknown; line_items: { id: unknown }[]; customer: { id: unknown } };
    expect(lossless.id).toBe("820982911946154508");
    expect(lossless.line_items.map((line) => line.id)).toEqual(["866550311766439020", "141249953214522974"]);
    expect(lossless.customer.id).toBe("115310627314723954");
  });

  it("reads bytes as UTF-8 and ignores a byte order mark", () => {
    const bytes = Buffer.from(`\uFEFF{"name":"Café","id":820982911946154508}`, "utf8");
    expect(parseJsonLossless(bytes)).toEqual({ name: "Café", id: "820982911946154508" });
  });

  it("rejects bytes that are not UTF-8", () => {
    expect(() => parseJsonLossless(Uint8Array.from([0x7b, 0xff, 0x7d]))).toThrow(/not valid UTF-8/);
  });

  it("parses every stored fixture the same way as JSON.parse apart from unsafe integers", () => {
    const text = fixtureText("magento", "order-3.rest-v1.get-orders-id.docs.json");
    expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
  });
});

describe("the two strategies", () => {
  const bigIntegers = fc.bigInt({ min: -(10n ** 25n), max: 10n ** 25n }).map((n) => n.toString());
  const jsonWithBigIntegers = fc
    .tuple(fc.jsonValue(), fc.array(bigIntegers, { maxLength: 5 }))
    .map(([value, integers]) => `{"value":${JSON.stringify(value)},"ids":[${integers.join(",")}]}`);

  it("agree on any JSON text, including big integers", () => {
    fc.assert(
      fc.property(jsonWithBigIntegers, (text) => {
        expect(parseByQuotingUnsafeIntegers(text)).toEqual(parseWithSourceText(text));
      }),
    );
  });

  it("agree on whether arbitrary text is JSON at all", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'{}[]":,0123456789-.eE tfalsenu\\') }), (text) => {
        const outcome = (parse: (text: string) => unknown) => {
          try {
            return { value: parse(text) };
          } catch (error) {
            return { error: error instanceof JsonParseError };
          }
        };
        expect(outcome(parseByQuotingUnsafeIntegers)).toEqual(outcome(parseWithSourceText));
      }),
    );
  });
});
