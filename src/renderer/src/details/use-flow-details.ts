/** Loads one flow's details (fields, packets from the packet index, first payload bytes). */
import { useClient } from '../api/api-context';
import { useAsync } from '../common/use-async';

export const PACKET_LIMIT = 2000;

export function useFlowDetails(flowId: number) {
  const { api } = useClient();
  return useAsync(() => api.flowsDetails({ flowId, packetLimit: PACKET_LIMIT }), String(flowId));
}
