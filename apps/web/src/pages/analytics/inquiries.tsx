import { AnalyticsFrame } from '../../components/analytics/AnalyticsFrame';
import { BreakdownCard, InquiryRateCard, InquiryTrendsCard, PeakHoursCard } from '../../components/analytics/InquiryCharts';
import { WISMOOverview } from '../../components/analytics/WISMOOverview';

/** /analytics/wismo/inquiries — detailed inquiry analysis. */
export function InquiryAnalytics() {
  return (
    <AnalyticsFrame title="Inquiry analysis" description="Volume, repeat questions, resolution and when customers ask.">
      {(w) => (
        <>
          <WISMOOverview
            storeId={w.storeId}
            filters={w.filters}
            metrics={[
              'totalInquiries',
              'totalOrders',
              'inquiryRate',
              'repeatInquiryRate',
              'avgResolutionSeconds',
              'firstContactResolutionRate',
              'avgFirstResponseSeconds',
              'customerEffortScore',
            ]}
          />
          <InquiryTrendsCard {...w} />
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <InquiryRateCard {...w} />
            <BreakdownCard {...w} field="byType" />
            <BreakdownCard {...w} field="byChannel" />
            <BreakdownCard {...w} field="byOrderStatus" variant="pie" />
            <BreakdownCard {...w} field="byExceptionReason" />
          </div>
          <PeakHoursCard {...w} />
        </>
      )}
    </AnalyticsFrame>
  );
}

export default InquiryAnalytics;
