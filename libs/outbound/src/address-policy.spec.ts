import { AddressPolicy } from './address-policy';

describe('AddressPolicy', () => {
  const none = new AddressPolicy([]);

  it.each([
    ['loopback', '127.0.0.1'],
    ['loopback', '127.45.6.7'],
    ['loopback (IPv6)', '::1'],
    ['private 10/8', '10.0.0.1'],
    ['private 172.16/12', '172.16.0.1'],
    ['private 172.16/12 (top)', '172.31.255.255'],
    ['private 192.168/16', '192.168.1.1'],
    ['link-local (cloud metadata)', '169.254.169.254'],
    ['link-local (IPv6)', 'fe80::1'],
    ['CGNAT 100.64/10', '100.64.0.1'],
    ['CGNAT 100.64/10 (top)', '100.127.255.255'],
    ['unique local fc00::/7', 'fc00::1'],
    ['unique local fd00::/8', 'fd12:3456:789a::1'],
    ['IPv4-mapped private', '::ffff:10.0.0.1'],
    ['IPv4-mapped loopback', '::ffff:127.0.0.1'],
    ['IPv4-mapped public (refused as such)', '::ffff:8.8.8.8'],
    ['IPv4-compatible private', '::10.0.0.1'],
    ['IPv4-compatible public', '::8.8.8.8'],
    ['unspecified', '0.0.0.0'],
    ['"this network" 0/8', '0.1.2.3'],
    ['unspecified (IPv6)', '::'],
    ['multicast', '224.0.0.1'],
    ['multicast (SSDP)', '239.255.255.250'],
    ['multicast (IPv6)', 'ff02::1'],
    ['broadcast', '255.255.255.255'],
    ['reserved 240/4', '240.0.0.1'],
    ['documentation', '192.0.2.1'],
    ['benchmarking', '198.18.0.1'],
    ['NAT64', '64:ff9b::a00:1'],
    ['6to4', '2002:a00:1::1'],
    ['Teredo', '2001::1'],
    ['documentation (IPv6)', '2001:db8::1'],
    ['decimal 127.0.0.1', '2130706433'],
    ['hex 127.0.0.1', '0x7f000001'],
    ['octal 127.0.0.1', '017700000001'],
    ['mixed hex 127.0.0.1', '0x7f.1'],
    ['short 127.0.0.1', '127.1'],
    ['decimal 10.0.0.1', '167772161'],
    ['octal 10.0.0.1', '012.0.0.1'],
    ['hex 10.0.0.1', '0xa.0.0.1'],
  ])('should refuse %s (%s) when nothing is allow-listed', (_, address) => {
    expect(none.standing(address)).toBe('refused');
  });

  it.each(['8.8.8.8', '1.1.1.1', '172.32.0.1', '100.128.0.1', '11.0.0.1', '2606:4700:4700::1111', '2a00:1450::200e'])(
    'should judge %s public',
    (address) => {
      expect(none.standing(address)).toBe('public');
    },
  );

  it('should allow loopback in every form, and nothing else private, when loopback is allow-listed', () => {
    const loopback = new AddressPolicy(['loopback']);
    for (const address of ['127.0.0.1', '127.9.9.9', '::1', '2130706433', '0x7f.1']) {
      expect(loopback.standing(address)).toBe('allow-listed');
    }
    for (const address of ['::ffff:127.0.0.1', '10.0.0.1', '169.254.169.254', '0.0.0.0', '::']) {
      expect(loopback.standing(address)).toBe('refused');
    }
    expect(loopback.standing('8.8.8.8')).toBe('public');
  });

  it('should allow exactly the listed networks when CIDRs are allow-listed', () => {
    const policy = new AddressPolicy(['10.20.0.0/16', 'fd00:1::/64', '192.168.7.7/32']);
    expect(policy.standing('10.20.3.4')).toBe('allow-listed');
    expect(policy.standing('10.21.0.1')).toBe('refused');
    expect(policy.standing('fd00:1::5')).toBe('allow-listed');
    expect(policy.standing('fd00:2::1')).toBe('refused');
    expect(policy.standing('192.168.7.7')).toBe('allow-listed');
    expect(policy.standing('192.168.7.8')).toBe('refused');
    expect(policy.standing('127.0.0.1')).toBe('refused');
  });

  it('should tell IP literals in any numeric form from host names', () => {
    for (const text of ['2130706433', '0x7f.1', '10.0.0.1', '::1', '::ffff:a00:1']) {
      expect(AddressPolicy.isAddress(text)).toBe(true);
    }
    for (const text of ['localhost', 'tool.example', '10.0.0.1.nip.io', '']) {
      expect(AddressPolicy.isAddress(text)).toBe(false);
    }
  });
});
