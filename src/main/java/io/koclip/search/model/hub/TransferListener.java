package io.koclip.search.model.hub;

/**
 * Progress of the files of one pull, called from the pulling thread. Sizes are in bytes.
 */
public interface TransferListener {
    /** A transfer starts; {@code resumedFrom} bytes were already on disk from an earlier attempt. */
    void started(String file, long size, long resumedFrom);

    /** {@code done} bytes of {@code file} are on disk now. */
    void transferred(String file, long done);

    /** The file is in the snapshot; {@code downloaded} is false when it was already in the cache. */
    void finished(String file, long size, boolean downloaded);

    /** Says nothing. */
    TransferListener NONE = new TransferListener() {
        @Override
        public void started(String file, long size, long resumedFrom) {}

        @Override
        public void transferred(String file, long done) {}

        @Override
        public void finished(String file, long size, boolean downloaded) {}
    };
}
