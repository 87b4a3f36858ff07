package io.koclip.search.model.hub;

import java.util.regex.Pattern;

/**
 * A model repository on the Hub and a revision: a branch, a tag or a commit hash.
 *
 * @param repo {@code org/name}
 * @param revision branch, tag or 40-hex commit; {@code main} when none is given
 */
public record RepoSpec(String repo, String revision) {
    /** The prefix that marks a Hub model wherever a bundle folder is accepted. */
    public static final String PREFIX = "hf:";

    public static final String DEFAULT_REVISION = "main";

    // The Hub's own rule: letters, digits, '-', '_', '.', no "--" or ".." and no leading/trailing '-' or '.'.
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,95}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    public RepoSpec {
        String[] parts = repo.split("/", -1);
        if (parts.length != 2
                || !NAME.matcher(parts[0]).matches()
                || !NAME.matcher(parts[1]).matches()
                || repo.contains("--")
                || repo.contains("..")
                || parts[1].endsWith(".")
                || parts[1].endsWith("-")) {
            throw new IllegalArgumentException("'" + repo + "' is not a Hub repo id (expected org/name)");
        }
        if (revision.isBlank() || revision.contains("..") || revision.startsWith("/")) {
            throw new IllegalArgumentException("'" + revision + "' is not a revision of " + repo);
        }
    }

    /** Parses {@code [hf:]org/name[@revision]}. */
    public static RepoSpec parse(String spec) {
        String s = spec.strip();
        if (s.startsWith(PREFIX)) {
            s = s.substring(PREFIX.length());
        }
        int at = s.indexOf('@');
        return at < 0 ? new RepoSpec(s, DEFAULT_REVISION) : new RepoSpec(s.substring(0, at), s.substring(at + 1));
    }

    /** True for {@code hf:...} model specs. */
    public static boolean isHubSpec(String spec) {
        return spec.strip().startsWith(PREFIX);
    }

    /** True when the revision is a full commit hash (the cache can answer without a ref). */
    public boolean pinned() {
        return COMMIT.matcher(revision).matches();
    }

    /** The cache folder name, as {@code huggingface_hub}'s {@code repo_folder_name}. */
    String folderName() {
        return "models--" + repo.replace("/", "--");
    }

    @Override
    public String toString() {
        return PREFIX + repo + "@" + revision;
    }
}
