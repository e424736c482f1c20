import { AnalyticsFrame } from '../../components/analytics/AnalyticsFrame';
import { BreakdownCard, InquiryTrendsCard, PeakHoursCard } from '../../components/analytics/InquiryCharts';
import { InsightsPanel } from '../../components/analytics/InsightsPanel';
import { WISMOOverview } from '../../components/analytics/WISMOOverview';

/** /analytics/wismo — the main WISMO dashboard. */
export function WISMODashboard() {
  return (
    <AnalyticsFrame title="WISMO overview" description="How often customers ask where their order is, and why.">
      {(w) => (
        <>
          <WISMOOverview storeId={w.storeId} filters={w.filters} showSetup />
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
            <InquiryTrendsCard {...w} className="lg:col-span-2" />
            <InsightsPanel storeId={w.storeId} filters={w.filters} />
          </div>
          <div className="grid grid-cols-1 gap-4 md:grid-cols-2">
            <BreakdownCard {...w} field="byType" />
            <BreakdownCard {...w} field="byOrderStatus" variant="pie" />
          </div>
          <PeakHoursCard {...w} />
        </>
      )}
    </AnalyticsFrame>
  );
}

export default WISMODashboard;
