/**
 * Every SPN example of the Microsoft pages in references.md §1-2 (data in
 * vectors/ms-spn-examples.json, each case naming its page), and each documented
 * disagreement (references.md §5) with the behaviour gssock follows and why.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isGssockError } from '../../src/core/errors.ts';
import {
  crackSpn,
  getSpns,
  type MakeSpnOptions,
  makeSpn,
  rnrServiceDn,
  rpcServiceDn,
  scpHasKeyword,
  scpSearchFilter,
  scpSpn,
  serverRegisterSpns,
  type SpnTypeName,
} from '../../src/spn/index.ts';
import examples from './vectors/ms-spn-examples.json' with { type: 'json' };

describe('MS doc examples: DsMakeSpn', () => {
  for (const c of examples.make) {
    it(`${c.spn}  (${c.source})`, () => {
      assert.equal(makeSpn(c.args as MakeSpnOptions), c.spn);
    });
  }
  for (const c of examples.makeErrors) {
    it(`rejects ${JSON.stringify(c.args)} with ${c.code}  (${c.source})`, () => {
      assert.throws(
        () => makeSpn(c.args as MakeSpnOptions),
        (e) => isGssockError(e, c.code as 'BAD_NAME'),
      );
    });
  }
});

describe('MS doc examples: DsCrackSpn', () => {
  for (const c of examples.crack) {
    it(`${c.spn}  (${c.source})`, () => {
      const got = crackSpn(c.spn);
      assert.deepEqual(
        {
          serviceClass: got.serviceClass,
          instanceName: got.instanceName,
          instancePort: got.instancePort,
          serviceName: got.serviceName,
        },
        c.parts,
      );
    });
  }
  for (const c of examples.crackErrors) {
    it(`rejects ${JSON.stringify(c.spn)}  (${c.source})`, () => {
      assert.throws(
        () => crackSpn(c.spn),
        (e) => isGssockError(e, 'BAD_NAME'),
      );
    });
  }
});

describe('MS doc examples: DS_SPN_NAME_TYPE with DsGetSpn', () => {
  for (const c of examples.dsSpnNameType) {
    it(`${c.type}: ${c.spn}  (${c.source})`, () => {
      const spns = getSpns({
        type: c.type as SpnTypeName,
        serviceClass: 'svc',
        serviceName: c.service,
        instances: [{ name: c.instance }],
      });
      assert.deepEqual(spns, [c.spn]);
    });
  }
});

describe('MS doc examples: the SCP and RnR workflows', () => {
  const scpDn = 'CN=SockAuthAD,CN=JEFFSMITH,OU=Computers,DC=fabrikam,DC=com';
  it('install: DsGetSpn(DS_SPN_SERVICE, class, DNofSCP, 0, 0, NULL, NULL) gives class/<local FQDN>/<SCP DN> (composing-the-spns-for-a-service-with-an-scp)', () => {
    assert.deepEqual(
      getSpns({
        type: 'service',
        serviceClass: 'ADSockAuth',
        serviceName: scpDn,
        localFqdn: 'jeffsmith.fabrikam.com',
      }),
      [`ADSockAuth/jeffsmith.fabrikam.com/${scpDn}`],
    );
  });
  it('client: the SCP attributes ScpCreate stores give the same SPN (how-a-client-authenticates-an-scp-based-windows-sockets-service)', () => {
    const s = examples.scp;
    const scp = {
      distinguishedName: `CN=${s.cn},CN=JEFFSMITH,OU=Computers,DC=fabrikam,DC=com`,
      serviceClassName: 'ADSockAuth',
      serviceDNSName: 'jeffsmith.fabrikam.com',
      serviceDNSNameType: s.serviceDnsNameType,
      serviceBindingInformation: ['5150'],
      keywords: s.keywords,
    };
    assert.equal(scpSpn(scp), `ADSockAuth/jeffsmith.fabrikam.com/${scpDn}`);
    assert.equal(scpSearchFilter(s.keywords[1]!), `(${s.searchFilter})`);
    // keywords is a case-insensitive string attribute: a lower-case GUID still matches.
    assert.ok(scpHasKeyword(scp, s.keywords[1]!.toLowerCase()));
  });
  it('seed: cn=WinSockRnRSampleService,cn=WinsockServices,cn=System,<domain DN>', () => {
    assert.equal(
      rnrServiceDn('WinSockRnRSampleService', 'fabrikam.com'),
      'cn=WinSockRnRSampleService,cn=WinsockServices,cn=System,DC=fabrikam,DC=com',
    );
  });
  it('RPC analogue: cn=<svc>,cn=RpcServices,cn=System,<domain DN>', () => {
    assert.equal(
      rpcServiceDn('anRpcService', 'DC=fabrikam,DC=com'),
      'cn=anRpcService,cn=RpcServices,cn=System,DC=fabrikam,DC=com',
    );
  });
  it('DsServerRegisterSpn composes <class>/<FQDN> and <class>/<NetBIOS> (nf-ntdsapi-dsserverregisterspnw Remarks)', () => {
    assert.deepEqual(
      serverRegisterSpns({
        serviceClass: 'ldap',
        localFqdn: 'jeffsmith.fabrikam.com',
        localNetbios: 'JEFFSMITH-NEC',
      }),
      ['ldap/jeffsmith.fabrikam.com', 'ldap/JEFFSMITH-NEC'],
    );
  });
  it('DsGetSpn Remarks: a replicated service on several hosts gets one SPN per host', () => {
    assert.deepEqual(
      getSpns({
        type: 'service',
        serviceClass: 'MyDBService',
        serviceName: 'CN=hrdb,OU=mktg,DC=example,DC=com',
        instances: [
          { name: 'host1.example.com' },
          { name: 'host2.example.com' },
          { name: 'host3.example.com' },
        ],
      }),
      [1, 2, 3].map((n) => `MyDBService/host${n}.example.com/CN=hrdb,OU=mktg,DC=example,DC=com`),
    );
  });
  it('DsGetSpn Remarks: several instances on one host are told apart by their ports', () => {
    assert.deepEqual(
      getSpns({
        type: 'dns-host',
        serviceClass: 'MSSQLSvc',
        instances: [
          { name: 'sql01.contoso.com', port: 1433 },
          { name: 'sql01.contoso.com', port: 1434 },
        ],
      }),
      ['MSSQLSvc/sql01.contoso.com:1433', 'MSSQLSvc/sql01.contoso.com:1434'],
    );
  });
});

describe('documented disagreements (references.md §5) and what gssock does', () => {
  it('§5.2 "Composing the SPNs ... with an SCP" prose swaps DN and class; the code is right: class first, DN last', () => {
    // The page says "<service class> and <service name> correspond to pszDNofSCP and
    // pszServiceClass"; its DsGetSpn call passes pszServiceClass as ServiceClass and the DN
    // as ServiceName. gssock follows the call, so the class is never a DN.
    const spn = getSpns({
      type: 'service',
      serviceClass: 'ADSockAuth',
      serviceName: 'CN=SockAuthAD,DC=fabrikam,DC=com',
      localFqdn: 'h.fabrikam.com',
    })[0]!;
    assert.equal(crackSpn(spn).serviceClass, 'ADSockAuth');
    assert.equal(crackSpn(spn).serviceName, 'CN=SockAuthAD,DC=fabrikam,DC=com');
  });
  it('§5.3 DsMakeSpn Remarks show a /<referrer> suffix on the host-based form; the function ignores Referrer unless ServiceName is an IP', () => {
    // gssock follows the behaviour (Wine's conformance tests, which pass on Windows), not the
    // mislabelled Remarks: a referrer with a DNS ServiceName adds nothing.
    assert.equal(
      makeSpn({ serviceClass: 'class', serviceName: 'host', instancePort: 555, referrer: 'referrer' }),
      'class/host:555',
    );
    assert.equal(
      makeSpn({
        serviceClass: 'class',
        serviceName: '192.0.2.1',
        instancePort: 555,
        referrer: 'referrer.fabrikam.com',
      }),
      'class/192.0.2.1:555/referrer.fabrikam.com',
    );
  });
  it('§5.4 DS_SPN_NAME_TYPE examples spell "cn=Winsock Services" / "cn=RPC Services"; gssock writes WinsockServices / RpcServices', () => {
    // The seed page and the containers AD creates use the names without a blank; an SPN
    // must match the registered one exactly, so the header's spelling would fail.
    const dn = rnrServiceDn('aWsService', 'dc=fabrikam,dc=com');
    assert.match(dn, /,cn=WinsockServices,/);
    assert.doesNotMatch(dn, /Winsock Services/);
    assert.match(rpcServiceDn('anRpcService', 'fabrikam.com'), /,cn=RpcServices,/);
  });
  it('§5.5 seed name "WinSockRnRSampleService" vs the RnR sample\'s "Example Service Instance": both are valid, the blank is kept', () => {
    // RFC 4514 escapes only leading/trailing blanks; inner blanks go into the DN as they are.
    assert.equal(
      rnrServiceDn('Example Service Instance', 'fabrikam.com'),
      'cn=Example Service Instance,cn=WinsockServices,cn=System,DC=fabrikam,DC=com',
    );
  });
  it('§5.6 MS-ADTS allows host:instancename, DsCrackSpn requires a numeric port: gssock errors by default, opt-in for MS-ADTS', () => {
    // Default follows DsCrackSpn (a non-numeric suffix is never silently read as port 0).
    assert.throws(
      () => crackSpn('MSSQLSvc/sql01.contoso.com:SALES'),
      (e) => isGssockError(e, 'BAD_NAME'),
    );
    const adts = crackSpn('MSSQLSvc/sql01.contoso.com:SALES', { allowNamedInstance: true });
    assert.equal(adts.instanceName, 'sql01.contoso.com');
    assert.equal(adts.namedInstance, 'SALES');
    assert.equal(adts.instancePort, 0);
  });
  it('§5.7 LocalSystem self-registration: API page allows DNS or NetBIOS host, AD page DNS only; gssock composes both, as DsServerRegisterSpn does', () => {
    // Registration rights are the DC's business; gssock composes what DsServerRegisterSpn
    // writes (FQDN and NetBIOS forms) and refuses a dotted "NetBIOS" name, the usual slip.
    const [dns, nb] = serverRegisterSpns({
      serviceClass: 'ADSockAuth',
      localFqdn: 'h.fabrikam.com',
      localNetbios: 'H',
    });
    assert.equal(dns, 'ADSockAuth/h.fabrikam.com');
    assert.equal(nb, 'ADSockAuth/H');
    assert.throws(
      () =>
        serverRegisterSpns({
          serviceClass: 'ADSockAuth',
          localFqdn: 'h.fabrikam.com',
          localNetbios: 'h.fabrikam.com',
        }),
      (e) => isGssockError(e, 'BAD_NAME'),
    );
  });
  // §5.1 (mutual-auth flag test), §5.8-5.10 (framing, token formats) concern the engine and
  // the Kerberos mechanism, not names; they are tested there.
});
