import { describe, expect, it } from 'vitest';
import { parseIssuer } from '../src/config/issuer.js';
import { InputError } from '../src/errors.js';

describe('parseIssuer: the issuer exactly as Teleport signs it', () => {
  it.each([
    'teleport.example.com',
    'https://teleport.example.com',
    'https://teleport.example.com/',
    'https://teleport.example.com:443',
    'https://teleport.example.com:443/',
    'teleport.example.com:443',
    'teleport.example.com:443/',
    '  HTTPS://Teleport.Example.COM:443/  ',
  ])('%s → https://teleport.example.com', (typed) => {
    expect(parseIssuer(typed)).toEqual({ url: 'https://teleport.example.com', host: 'teleport.example.com' });
  });

  it('keeps an IPv4 literal and localhost as they are', () => {
    expect(parseIssuer('127.0.0.1').url).toBe('https://127.0.0.1');
    expect(parseIssuer('localhost').host).toBe('localhost');
  });

  it('rejects a port other than 443 and says why no provider could match', () => {
    expect(() => parseIssuer('teleport.example.com:3080')).toThrowError(InputError);
    try {
      parseIssuer('https://teleport.example.com:3080');
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain("Input 'cluster-url'");
      expect(message).toContain('https://teleport.example.com:3080');
      expect(message).toContain('The URL should not contain a port number');
      expect(message).toContain('port 443');
      expect(message).toContain('Example: cluster-url: teleport.example.com');
    }
  });

  it.each([
    ['', /is empty/],
    ['   ', /is empty/],
    ['http://teleport.example.com', /uses http:\/\//],
    ['ftp://teleport.example.com', /uses ftp:\/\//],
    ['https://teleport.example.com/web', /has a path/],
    ['teleport.example.com/webapi/find', /has a path/],
    ['https://teleport.example.com/?x=1', /query or fragment/],
    ['https://teleport.example.com#top', /query or fragment/],
    ['https://admin:secret@teleport.example.com', /user name or password/],
    ['https://teleport_example.com', /invalid host name/],
    ['https://-bad.example.com', /invalid host name/],
    ['https://teleport..example.com', /invalid host name|not a valid address/],
    ['teleport.example.com.', /invalid host name/],
    ['10.0.0.1:70000', /not a valid address/],
    ['300.1.1.1', /not a valid IPv4|not a valid address/],
    ['https://[::1]', /IPv6/],
    ['tele port.example.com', /whitespace/],
  ])('rejects %j', (typed, problem) => {
    expect(() => parseIssuer(typed)).toThrowError(problem);
    expect(() => parseIssuer(typed)).toThrowError(/Example: cluster-url: /);
  });
});
