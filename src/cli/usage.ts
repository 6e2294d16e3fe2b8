/** Usage texts: MIT's lines first (unchanged, so they read the same), then gssock's extras. */

export const CLIENT_USAGE = `Usage: gss-client [-port port] [-mech mechanism] [-spnego] [-d]
       [-seq] [-noreplay] [-nomutual] [-user user] [-pass pw]
       [-f] [-q] [-ccount count] [-mcount count]
       [-v1] [-na] [-nw] [-nx] [-nm] host service msg
gssock client extras:
       [--mech mock|kerberos|ntlm|negotiate|native] [--framing gss-sample|u32be|u32le]
       [--mock-secret secret] [--timeout ms]
  -mech takes a mechanism OID, dotted or braced ("{ 1 2 840 113554 1 2 2 }"), or a name.
  Defaults: port 4444, mechanism kerberos, flags MUTUAL|REPLAY, 10 s read timeout.
  -ccount N makes N connections one after another, -mcount N sends the message N times
  on each; -f reads msg from a file. Exit status 1 at the first failure.
`;

export const SERVER_USAGE = `Usage: gss-server [-port port] [-verbose] [-once]
       [-inetd] [-export] [-logfile file] [-keytab keytab]
       service_name
gssock server extras:
       [--host address] [--mech mock|kerberos|ntlm|negotiate|native]
       [--framing gss-sample|u32be|u32le] [--mock-secret secret] [--timeout ms]
       [--handshake-timeout ms] [--idle-timeout ms] [--max-queue n]
       [--max-frame-size bytes] [--max-legs n]
  Defaults: port 4444 on every address (--host 127.0.0.1 for loopback only), mechanism
  kerberos, one connection at a time, 10 s read timeout. -port 0 picks a free port
  (printed on stderr). -export is accepted and ignored (no context export).
  Limits (defaults from gssock/server's DEFAULT_LIMITS): at most --max-queue (256)
  connections wait for their turn, more are refused at once; a connection must be
  established within --handshake-timeout (30000 ms) of accept, queue wait included;
  --timeout is MIT's per-read deadline and --idle-timeout (300000 ms) the longest
  silence between frames; frames over --max-frame-size (1048576) and handshakes over
  --max-legs (16) tokens end the connection. A duration of 0 means none.
`;

export const MAIN_USAGE = `Usage: gssock <command> [options]

Commands:
  demo      Kerberos mutual authentication over loopback TCP (in-process KDC), with a transcript
  server    drop-in for MIT's gss-server (gss-sample protocol)
  client    drop-in for MIT's gss-client (gss-sample protocol)
  spn       build, parse and check service principal names
  kinit     get a Kerberos TGT into a credentials cache
  klist     list a credentials cache or keytab
  kvno      get service tickets and show their key version numbers
  ktutil    read, write and merge keytabs
  kdc       the gssock KDC on loopback, with krb5.conf lines for MIT tools
  help      this text, or "gssock help <command>"

Options: --version, --help
`;
