/**
 * One schema change owned by the library. `up` and `down` are plain SQL run inside one
 * transaction; both must be safe to run on a database where they already ran, because a
 * crashed host may retry. `release` is the library version that first shipped it.
 */
export interface LibraryMigration {
  name: string;
  release: string;
  up: string;
  down: string;
}
