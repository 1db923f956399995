import { SystemClock } from "@holdline/adapters-node/system-clock";
import { ClockId } from "@holdline/domain/ports/clock.port";
import { ContainerModule } from "inversify";

/** Binds the `Clock` port to the wall clock. */
export const clockModule = (): ContainerModule =>
  new ContainerModule(({ bind }) => {
    bind(ClockId).toConstantValue(new SystemClock());
  });
