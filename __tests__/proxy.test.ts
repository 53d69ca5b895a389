/** Which proxy a connection takes, decided as the runner's toolkit (@actions/http-client) decides. Pure. */
import { describe, expect, it } from 'vitest';
import { bypassesProxy, proxyFor } from '../src/clients/proxy.js';

const url = (text: string) => new URL(text);

describe('proxyFor', () => {
  it('takes https_proxy (then HTTPS_PROXY) for https targets and http_proxy (then HTTP_PROXY) for http ones', () => {
    const env = { https_proxy: 'http://lower:3128', HTTPS_PROXY: 'http://upper:3128', HTTP_PROXY: 'http://plain:8080' };
    expect(proxyFor(url('https://iam.amazonaws.com'), env)?.host).toBe('lower:3128');
    expect(proxyFor(url('https://iam.amazonaws.com'), { HTTPS_PROXY: 'http://upper:3128' })?.host).toBe('upper:3128');
    expect(proxyFor(url('http://emulator.example:4566'), env)?.host).toBe('plain:8080');
    expect(proxyFor(url('https://iam.amazonaws.com'), { HTTP_PROXY: 'http://plain:8080' })).toBeUndefined();
  });

  it('reads a proxy given without a scheme as http://, with its credentials', () => {
    const proxy = proxyFor(url('https://x.example'), { HTTPS_PROXY: 'user:p%40ss@proxy.corp:3128' });
    expect(proxy?.href).toBe('http://user:p%40ss@proxy.corp:3128/');
  });

  it('is undefined when no variable is set', () => expect(proxyFor(url('https://x.example'), {})).toBeUndefined());
});

describe('NO_PROXY', () => {
  const bypass = (target: string, noProxy: string) => bypassesProxy(url(target), { NO_PROXY: noProxy });
  it('matches *, a host, a domain suffix with or without a dot, case-insensitively', () => {
    expect(bypass('https://teleport.example.com', '*')).toBe(true);
    expect(bypass('https://teleport.example.com', 'teleport.example.com')).toBe(true);
    expect(bypass('https://teleport.example.com', 'example.com')).toBe(true);
    expect(bypass('https://teleport.example.com', '.EXAMPLE.com')).toBe(true);
    expect(bypass('https://teleport.example.com', 'ample.com')).toBe(false);
    expect(bypass('https://teleport.example.com', 'other.com, ,')).toBe(false);
  });
  it('matches a port only when given, with the scheme default port', () => {
    expect(bypass('https://teleport.example.com', 'teleport.example.com:443')).toBe(true);
    expect(bypass('https://teleport.example.com', 'teleport.example.com:8443')).toBe(false);
    expect(bypass('http://emulator.example:4566', 'emulator.example:4566')).toBe(true);
  });
  it('prefers no_proxy to NO_PROXY, and always bypasses loopback', () => {
    expect(bypassesProxy(url('https://a.example'), { no_proxy: 'b.example', NO_PROXY: 'a.example' })).toBe(false);
    expect(bypassesProxy(url('https://localhost'), {})).toBe(true);
    expect(bypassesProxy(url('http://127.0.0.1:9000'), {})).toBe(true);
    expect(bypassesProxy(url('http://[::1]:9000'), {})).toBe(true);
  });
});
