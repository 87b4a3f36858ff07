/**
 * A client for the Hugging Face Hub that speaks its HTTP protocol as {@code huggingface_hub} does
 * and shares its on-disk cache, so that {@code --model hf:org/name[@revision]} works wherever a
 * model is loaded and a cache filled by Python tools is reused as it is.
 *
 * <p>Public contract:
 *
 * <ul>
 *   <li>{@link io.koclip.search.model.hub.HubSettings}: endpoint, cache folder, token, offline mode,
 *       read from the same environment variables as {@code huggingface_hub} (or built by a test);
 *   <li>{@link io.koclip.search.model.hub.RepoSpec}: {@code org/name[@revision]};
 *   <li>{@link io.koclip.search.model.hub.ModelHub}: {@code pull}, {@code locate} (cache first,
 *       download when missing), {@code list} and {@code remove};
 *   <li>{@link io.koclip.search.model.hub.HubException}: one-line errors whose {@code Reason} says
 *       what went wrong (token, gated repo, not found, disk full, interrupted transfer, ...);
 *   <li>{@link io.koclip.search.model.hub.TransferListener}: byte progress of each file.
 * </ul>
 *
 * <p>Cache layout ({@code $HF_HUB_CACHE}, default {@code ~/.cache/huggingface/hub}):
 *
 * <pre>
 * models--{org}--{name}/
 *   blobs/{etag}                 content, named by the LFS sha256 or the git blob sha1
 *   blobs/{etag}.incomplete      a transfer in progress; resumed with a Range request
 *   refs/{revision}              the commit hash a branch or tag pointed to when last pulled
 *   snapshots/{commit}/{path}    relative symbolic links to ../../blobs/{etag}
 * </pre>
 *
 * <p>This package does not depend on the rest of {@code model}: it knows file names, not graphs.
 */
@NullMarked
package io.koclip.search.model.hub;

import org.jspecify.annotations.NullMarked;
