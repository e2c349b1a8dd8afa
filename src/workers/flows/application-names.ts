import { AppSignature } from '../../shared/packet-batch';

/** Display name per AppSignature value (index), '' for none. */
const SIGNATURE_NAMES: readonly string[] = (() => {
  const names: Record<keyof typeof AppSignature, string> = {
    none: '',
    tlsClientHello: 'TLS',
    tlsServerHello: 'TLS',
    tls: 'TLS',
    httpRequest: 'HTTP',
    httpResponse: 'HTTP',
    dns: 'DNS',
    ssh: 'SSH',
    quic: 'QUIC',
    smtp: 'SMTP',
    ftp: 'FTP',
    smb: 'SMB',
    dhcp: 'DHCP',
    ntp: 'NTP',
    sip: 'SIP',
    stun: 'STUN',
    rdp: 'RDP',
    mdns: 'MDNS',
    llmnr: 'LLMNR',
    netbios: 'NetBIOS',
    snmp: 'SNMP',
    bittorrent: 'BitTorrent',
    kerberos: 'Kerberos',
    modbus: 'Modbus',
    telnet: 'Telnet',
    stratum: 'Stratum',
    pop3: 'POP3',
    imap: 'IMAP',
  };
  const table: string[] = [];
  for (const [key, value] of Object.entries(AppSignature))
    table[value] = names[key as keyof typeof AppSignature];
  return table;
})();

/**
 * Well-known ports (IANA service-names-port-numbers registry) to application names, for flows
 * without a payload signature. Built once at module load.
 */
const PORT_NAMES = new Map<number, string>([
  [20, 'FTP'],
  [21, 'FTP'],
  [22, 'SSH'],
  [23, 'Telnet'],
  [25, 'SMTP'],
  [53, 'DNS'],
  [67, 'DHCP'],
  [68, 'DHCP'],
  [69, 'TFTP'],
  [80, 'HTTP'],
  [88, 'Kerberos'],
  [102, 'S7comm'],
  [110, 'POP3'],
  [123, 'NTP'],
  [135, 'DCERPC'],
  [137, 'NetBIOS'],
  [138, 'NetBIOS'],
  [139, 'NetBIOS'],
  [143, 'IMAP'],
  [161, 'SNMP'],
  [162, 'SNMP'],
  [389, 'LDAP'],
  [443, 'TLS'],
  [445, 'SMB'],
  [465, 'SMTP'],
  [502, 'Modbus'],
  [514, 'Syslog'],
  [546, 'DHCPv6'],
  [547, 'DHCPv6'],
  [587, 'SMTP'],
  [636, 'LDAP'],
  [993, 'IMAP'],
  [995, 'POP3'],
  [1433, 'MSSQL'],
  [1883, 'MQTT'],
  [1900, 'SSDP'],
  [3268, 'LDAP'],
  [3306, 'MySQL'],
  [3389, 'RDP'],
  [3478, 'STUN'],
  [5060, 'SIP'],
  [5061, 'SIP'],
  [5353, 'MDNS'],
  [5355, 'LLMNR'],
  [5432, 'PostgreSQL'],
  [5900, 'VNC'],
  [6379, 'Redis'],
  [6881, 'BitTorrent'],
  [8080, 'HTTP'],
  [8883, 'MQTT'],
  [11211, 'Memcached'],
  [20000, 'DNP3'],
  [27017, 'MongoDB'],
  [44818, 'EtherNet/IP'],
  [47808, 'BACnet'],
]);

const TCP = 6;
const UDP = 17;
const SCTP = 132;

/**
 * Application guess for a flow: the name of its first non-zero payload signature; else, for
 * TCP/UDP/SCTP, the well-known service of the responder port, then of the lower port (UDP 443
 * is QUIC); else null.
 */
export function applicationName(
  signature: number,
  protocol: number,
  srcPort: number,
  dstPort: number,
): string | null {
  const bySignature = SIGNATURE_NAMES[signature];
  if (bySignature) return bySignature;
  if (protocol !== TCP && protocol !== UDP && protocol !== SCTP) return null;
  return portName(dstPort, protocol) ?? portName(Math.min(srcPort, dstPort), protocol);
}

function portName(port: number, protocol: number): string | null {
  if (port === 443 && protocol === UDP) return 'QUIC';
  return PORT_NAMES.get(port) ?? null;
}
