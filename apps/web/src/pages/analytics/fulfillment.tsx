import { AnalyticsFrame } from '../../components/analytics/AnalyticsFrame';
import {
  CarrierCard,
  ExceptionCausesCard,
  FulfillmentOverview,
  ShipmentVolumeCard,
  StageDurationsCard,
  TimeToShipTrendCard,
} from '../../components/analytics/FulfillmentWidgets';
import { SatisfactionSection } from '../../components/analytics/SatisfactionSection';

/** /analytics/wismo/fulfillment — fulfillment, carriers and customer satisfaction. */
export function FulfillmentAnalytics() {
  return (
    <AnalyticsFrame title="Fulfillment performance" description="Shipping speed, carriers, exceptions and how customers rate it.">
      {(w) => (
        <>
          <FulfillmentOverview storeId={w.storeId} filters={w.filters} />
          <CarrierCard {...w} />
          <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
            <TimeToShipTrendCard {...w} />
            <ShipmentVolumeCard {...w} />
            <StageDurationsCard storeId={w.storeId} filters={w.filters} />
            <ExceptionCausesCard {...w} />
          </div>
          <SatisfactionSection {...w} />
        </>
      )}
    </AnalyticsFrame>
  );
}

export default FulfillmentAnalytics;
