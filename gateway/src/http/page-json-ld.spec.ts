import { jsonForScript, withJsonLd } from './page-json-ld';

describe('JSON-LD in the HTML page', () => {
  const nasty = { name: 'Fin</script><script>alert(1)</script> <!-- et & « » \u2028 ligne' };

  it('writes no <, > or & of the data into the HTML, and reads back as the same data', () => {
    const text = jsonForScript(nasty);
    expect(text).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(text)).toEqual(nasty);
  });

  it('adds one block at the end of the head, before </head> whatever its case', () => {
    const html = '<!doctype html><html><head><title>t</title></HEAD><body></body></html>';
    const out = withJsonLd(html, 'programme-json-ld', nasty);
    expect(out).toBe(`<!doctype html><html><head><title>t</title><script type="application/ld+json" id="programme-json-ld">${jsonForScript(nasty)}</script>\n</HEAD><body></body></html>`);
    expect(out.match(/<script/g)).toHaveLength(1);
  });

  it('leaves a page without a head unchanged', () => {
    expect(withJsonLd('<p>no head</p>', 'x', nasty)).toBe('<p>no head</p>');
  });
});
