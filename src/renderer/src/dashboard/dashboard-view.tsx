/** The dashboard: traffic over time, top talkers and ports, mixes, packet sizes, inter-arrival times. */
import { IatCard } from './iat-card';
import { PacketSizesCard } from './packet-sizes-card';
import { TopCard } from './top-card';
import { TrafficCard } from './traffic-card';

export function DashboardView({ active }: { active: boolean }) {
  return (
    <div className="dashboard" data-testid="dashboard">
      <TrafficCard active={active} />
      <TopCard by="src_ip" title="Top source hosts by bytes" categoryName="Source" color="#2563eb" active={active} />
      <TopCard by="dst_ip" title="Top destination hosts by bytes" categoryName="Destination" color="#7c3aed" active={active} />
      <TopCard by="tcp_port" title="Top TCP ports by bytes" categoryName="TCP port" color="#0891b2" active={active} />
      <TopCard by="udp_port" title="Top UDP ports by bytes" categoryName="UDP port" color="#16a34a" active={active} />
      <TopCard by="protocol" title="Protocol mix by bytes" categoryName="Protocol" active={active} />
      <TopCard by="application" title="Application mix by bytes" categoryName="Application" active={active} />
      <IatCard active={active} />
      <PacketSizesCard active={active} />
    </div>
  );
}
