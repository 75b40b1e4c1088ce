import { cartridgeFiles, readBasicLtiLink, readManifest } from './cartridge-format';
import { XmlRefused } from './xml-tree';

const vendor = { code: 'tms-lti-consumer', name: 'Academy & Co' };

describe('Common Cartridge format', () => {
  it('should read back what it writes, in order, with custom parameters and our extensions', () => {
    const files = cartridgeFiles({
      title: 'Safety <1>',
      vendor,
      links: [
        {
          title: 'Quiz "A"',
          description: null,
          launchUrl: 'https://tool.example.com/launch?a=1&b=2',
          customParameters: [{ name: 'chapter', value: '<3>' }],
          extensions: { lti_version: '1.1' },
        },
        {
          title: 'Lab',
          description: 'Bring goggles',
          launchUrl: 'https://lab.example.com/',
          customParameters: [],
          extensions: {},
        },
      ],
    });
    expect(files.map((f) => f.path)).toEqual(['imsmanifest.xml', 'R1.xml', 'R2.xml']);

    const manifest = readManifest(files[0].xml);
    expect(manifest).toEqual({
      title: 'Safety <1>',
      items: [
        { title: 'Quiz "A"', resourceType: 'imsbasiclti_xmlv1p0', href: 'R1.xml' },
        { title: 'Lab', resourceType: 'imsbasiclti_xmlv1p0', href: 'R2.xml' },
      ],
    });
    expect(readBasicLtiLink(files[1].xml, vendor.code)).toEqual({
      title: 'Quiz "A"',
      description: null,
      launchUrl: 'https://tool.example.com/launch?a=1&b=2',
      customParameters: [{ name: 'chapter', value: '<3>' }],
      extensions: { lti_version: '1.1' },
    });
    // Another platform's extensions are not ours.
    expect(readBasicLtiLink(files[1].xml, 'other').extensions).toEqual({});
  });

  it('should list nested items depth first, skipping folders, when a manifest has modules', () => {
    const xml =
      '<manifest xmlns="http://www.imsglobal.org/xsd/imsccv1p3/imscp_v1p1"><organizations><organization><item>' +
      '<item identifier="m1"><title>Module 1</title><item identifierref="a"><title>A</title></item>' +
      '<item identifierref="b"><title>B</title></item></item><item identifierref="c"><title>C</title></item>' +
      '</item></organization></organizations><resources><resource identifier="a" type="webcontent" href="a.html"/>' +
      '<resource identifier="b" type="imsbasiclti_xmlv1p0"><file href="b.xml"/></resource></resources></manifest>';
    expect(readManifest(xml).items).toEqual([
      { title: 'A', resourceType: 'webcontent', href: 'a.html' },
      { title: 'B', resourceType: 'imsbasiclti_xmlv1p0', href: 'b.xml' },
      { title: 'C', resourceType: 'missing', href: null },
    ]);
  });

  it('should refuse a DOCTYPE before expanding any entity when a manifest declares one', () => {
    const xml = '<?xml version="1.0"?><!DOCTYPE m [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><manifest>&b;</manifest>';
    expect(() => readManifest(xml)).toThrow(XmlRefused);
    expect(() => readManifest(xml)).toThrow(/DOCTYPE/);
  });

  it('should refuse an entity it does not know when a document uses one without a DOCTYPE', () => {
    expect(() => readManifest('<manifest>&xxe;</manifest>')).toThrow(/not well-formed/);
  });
});
