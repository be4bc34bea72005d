import { bridgeLane } from './bridge/lane';
import { docsMarkersLane } from './docs-markers/lane';
import { doctorLane } from './doctor/lane';
import { firstSessionLane } from './first-session/lane';
import { freshInstallLane } from './fresh-install/lane';
import { historicalCompatibilityLane } from './historical-compatibility/lane';
import type { LaneDeclaration } from './lane-declaration';
import { nativeFirstLane } from './native-first/lane';
import { upgradeProofLane } from './upgrade-proof/lane';

/**
 * Every lane this repository declares. Each has a cucumber profile of the same name in
 * cucumber.js and a feature file `features/<name>.feature`; the docs-markers lane checks both.
 */
export const declaredLanes: readonly LaneDeclaration[] = [
  upgradeProofLane,
  freshInstallLane,
  firstSessionLane,
  nativeFirstLane,
  doctorLane,
  historicalCompatibilityLane,
  bridgeLane,
  docsMarkersLane,
];

/**
 * Finds the declared lane a feature names, and checks it is of the kind the feature's steps
 * drive, so a feature that names another lane fails at its first step with the lanes it could use.
 */
export function findLane<Kind extends LaneKind>(name: string, kind: Kind): Extract<LaneDeclaration, { kind: Kind }> {
  const ofKind = declaredLanes.filter((lane): lane is Extract<LaneDeclaration, { kind: Kind }> => 'kind' in lane && lane.kind === kind);
  const lane = ofKind.find((candidate) => candidate.name === name);
  if (!lane) {
    throw new Error(`No ${kind} lane is declared as "${name}"; lanes/index.ts declares these ${kind} lanes: ${ofKind.map((candidate) => candidate.name).join(', ') || 'none'}.`);
  }
  return lane;
}

type LaneKind = Extract<LaneDeclaration, { kind: string }>['kind'];
