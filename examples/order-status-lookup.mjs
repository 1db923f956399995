// The Lambda behind examples/order-status.flow.json, for `pnpm emulate`: plain JavaScript, no dependencies.
// Connect hands the block's LambdaInvocationAttributes over as event.Details.Parameters; the flow reads the
// returned flat map of strings (STRING_MAP) as $.External.
const ORDERS = {
  4711: { orderState: "shipped", shippedOn: "Tuesday", carrier: "Parcelway" },
  5150: { orderState: "packing", shipsOn: "Friday" },
};

export const handler = async (event) => {
  // A "#" that ends the keys is the terminator, not part of the number.
  const orderNumber = String(event.Details?.Parameters?.orderNumber ?? "").replace(/#$/, "");
  const order = ORDERS[orderNumber];
  console.log(`order-status lookup: ${orderNumber} → ${order?.orderState ?? "not found"}`);
  return order === undefined ? { orderState: "unknown", orderNumber } : { orderNumber, ...order };
};
