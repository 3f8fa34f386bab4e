import { jest } from '@jest/globals';

/** A fake of @actions/artifact: records uploads, or fails as the service does where it is unavailable. */
export class GHESNotSupportedError extends Error {
  constructor(message = '@actions/artifact v2.0.0+, upload-artifact@v4+ and download-artifact@v4+ are not currently supported on GHES.') {
    super(message);
    this.name = 'GHESNotSupportedError';
  }
}

export const uploadArtifact = jest.fn(async (_name: string, _files: string[], _root: string): Promise<{ id?: number; size?: number }> => ({ id: 42, size: 1 }));

export class DefaultArtifactClient {
  uploadArtifact = uploadArtifact;
}
