import type { DoctorLaneDeclaration } from '../lane-declaration';

/** `jobs-powertools doctor` on the running reference host, and on copies of it that each lack one required seam. */
export const doctorLane: DoctorLaneDeclaration = {
  kind: 'doctor',
  name: 'doctor',
  bucket: 'tested',
  postgresMajor: 18,
  host: {
    directory: 'reference-host',
    appFile: 'app.ts',
    migrateScript: 'migrate.ts',
    seedScript: 'seed.ts',
    serverScript: 'server.ts',
    mountPath: '/ops/jobs',
    bridge: 'disabled',
  },
  requiredSeams: ['repo', 'auth', 'displayPolicy'],
};
