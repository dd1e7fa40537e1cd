'use client';
import { SelectorInput } from '@/components/selector/selector-input';
import { Segmented } from '@/components/ui/segmented';
import type { FleetState } from '@/features/fleet/fleet-context';
import { HostPicker } from './host-picker';
import type { DeployTarget } from './use-deploy-target';

/** Target by label selector or by picking hosts. */
export function TargetField({ target, fleet }: { target: DeployTarget; fleet: FleetState }) {
  return (
    <div className="grid gap-2">
      <div className="flex items-center justify-between">
        <span className="text-[13px] font-medium">Target</span>
        <Segmented
          label="Target by"
          value={target.mode}
          onChange={target.setMode}
          options={[
            { value: 'selector', label: 'Label selector' },
            { value: 'hosts', label: 'Pick hosts' },
          ]}
        />
      </div>
      {target.mode === 'selector' ? (
        <SelectorInput
          id="deploy-selector"
          value={target.selectorText}
          onChange={target.setSelectorText}
          result={target.parsed}
          placeholder="role=web"
        />
      ) : (
        <HostPicker hosts={fleet.hosts} selected={target.picked} onChange={target.setPicked} />
      )}
    </div>
  );
}
