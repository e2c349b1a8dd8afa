/** Names of pcap/pcapng link types (tcpdump.org/linktypes.html) for messages and the UI. */
const NAMES: Record<number, string> = {
  0: 'NULL (BSD loopback)',
  1: 'ETHERNET',
  9: 'PPP',
  12: 'RAW (IP)',
  14: 'RAW (IP, OpenBSD)',
  50: 'PPP_HDLC',
  101: 'RAW',
  104: 'C_HDLC (Cisco HDLC)',
  105: 'IEEE802_11',
  108: 'LOOP (OpenBSD loopback)',
  113: 'LINUX_SLL',
  119: 'IEEE802_11_PRISM',
  127: 'IEEE802_11_RADIOTAP',
  143: 'DOCSIS',
  147: 'USER0',
  187: 'BLUETOOTH_HCI_H4',
  195: 'IEEE802_15_4_WITHFCS',
  197: 'ERF',
  220: 'USB_LINUX_MMAPPED',
  228: 'IPV4',
  229: 'IPV6',
  230: 'IEEE802_15_4_NOFCS',
  239: 'NFLOG',
  249: 'NETLINK',
  276: 'LINUX_SLL2',
};

export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `LINKTYPE_${linkType}`;
}
