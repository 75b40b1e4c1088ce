import { parseOutcomeRequest } from './basic-outcomes';
import { checkOutcomeData, OUTCOME_DATA_LIMITS } from './outcome-data';

const TOOL = 'https://tool.example';

/** Canvas's example of a replaceResult with outcome data (assignment_tools.html, "Data Return Extension"). */
function replaceWith(resultData: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<imsx_POXEnvelopeRequest xmlns="http://www.imsglobal.org/services/ltiv1p1/xsd/imsoms_v1p0">
  <imsx_POXHeader><imsx_POXRequestHeaderInfo><imsx_version>V1.0</imsx_version>
    <imsx_messageIdentifier>m1</imsx_messageIdentifier></imsx_POXRequestHeaderInfo></imsx_POXHeader>
  <imsx_POXBody><replaceResultRequest><resultRecord>
    <sourcedGUID><sourcedId>s1</sourcedId></sourcedGUID>
    <result>
      <resultScore><language>en</language><textString>0.92</textString></resultScore>
      ${resultData}
    </result>
  </resultRecord></replaceResultRequest></imsx_POXBody>
</imsx_POXEnvelopeRequest>`;
}

describe('outcome data in replaceResult', () => {
  it('should read text, url and ltiLaunchUrl when the request carries resultData', () => {
    const request = parseOutcomeRequest(
      replaceWith(
        '<resultData><text>&lt;script&gt;alert(1)&lt;/script&gt; essay</text><url> https://tool.example/work/1 </url><ltiLaunchUrl>https://tool.example/review?a=1&amp;b=2</ltiLaunchUrl></resultData>',
      ),
    );
    expect(request.resultData).toEqual({
      text: '<script>alert(1)</script> essay',
      url: 'https://tool.example/work/1',
      ltiLaunchUrl: 'https://tool.example/review?a=1&b=2',
    });
  });

  it('should read no outcome data when the request has no resultData', () => {
    expect(parseOutcomeRequest(replaceWith('')).resultData).toBeNull();
  });

  it('should keep plain text verbatim when it is checked', () => {
    const check = checkOutcomeData({ text: '<b>bold</b>\n', url: null, ltiLaunchUrl: null }, TOOL);
    expect(check).toEqual({ ok: true, value: { text: '<b>bold</b>\n', url: null, ltiLaunchUrl: null } });
  });

  it('should refuse text when it is longer than the cap', () => {
    const text = 'x'.repeat(OUTCOME_DATA_LIMITS.text + 1);
    const check = checkOutcomeData({ text, url: null, ltiLaunchUrl: null }, TOOL);
    expect(check).toEqual({ ok: false, reason: expect.stringContaining('resultData/text must be at most') });
  });

  it.each([
    ['javascript:alert(1)', 'must be an https URL'],
    ['http://tool.example/x', 'must use https'],
    ['https://user:pw@tool.example/x', 'user name or password'],
    ['/relative', 'is not an absolute URL'],
  ])('should refuse the url %s when it is not an https URL', (url, reason) => {
    const check = checkOutcomeData({ text: null, url, ltiLaunchUrl: null }, TOOL);
    expect(check).toEqual({ ok: false, reason: expect.stringContaining(reason) });
  });

  it('should accept a plain http url when it is on loopback', () => {
    const check = checkOutcomeData({ text: null, url: 'http://127.0.0.1:9000/w', ltiLaunchUrl: null }, TOOL);
    expect(check.ok).toBe(true);
  });

  it('should refuse an ltiLaunchUrl when it is on another site than the tool', () => {
    const check = checkOutcomeData({ text: null, url: null, ltiLaunchUrl: 'https://elsewhere.example/l' }, TOOL);
    expect(check).toEqual({ ok: false, reason: expect.stringContaining("must be on the tool's own site") });
  });

  it('should give no data when every part is empty', () => {
    expect(checkOutcomeData({ text: '  ', url: null, ltiLaunchUrl: null }, TOOL)).toEqual({ ok: true, value: null });
  });
});
