/**
 * Largest captured length a record may claim before the framer calls it damage. Same limits as
 * Wireshark's wtap_max_snaplen_for_encap and libpcap's max_snaplen_for_dlt: 262144 bytes, with
 * the few link types whose packets are legitimately bigger.
 */

/** Wireshark WTAP_MAX_PACKET_SIZE_STANDARD / libpcap MAXIMUM_SNAPLEN. */
export const MAX_CAPTURED_LENGTH = 262144;

/** LINKTYPE_DBUS (231): D-Bus messages up to 128 MiB. */
const LINKTYPE_DBUS = 231;
/** LINKTYPE_EBHSCR (279): automotive bus captures up to 8 MiB. */
const LINKTYPE_EBHSCR = 279;

/** Maximum captured bytes for one record of `linkType`. */
export function maxCapturedLength(linkType: number): number {
  if (linkType === LINKTYPE_DBUS) return 128 * 1024 * 1024;
  if (linkType === LINKTYPE_EBHSCR) return 8 * 1024 * 1024;
  return MAX_CAPTURED_LENGTH;
}

/**
 * pcapng block total length limit: an EPB with the largest packet plus room for options
 * (Wireshark pcapng.c MAX_BLOCK_SIZE). A hostile length beyond it stops framing; below it the
 * framer only ever buffers bytes that are really in the file.
 */
export const MAX_BLOCK_LENGTH = 32 + 128 * 1024 * 1024 + 131072;
