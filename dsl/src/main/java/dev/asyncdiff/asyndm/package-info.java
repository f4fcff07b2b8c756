/**
 * AsynDM (DESIGN.md §1.3): per-position asynchronous denoising. Positions related to the prompt's objects, found from
 * the backbone's image→text attention ({@link dev.asyncdiff.asyndm.AttentionMask}), follow a concave, slower
 * schedule ({@link dev.asyncdiff.asyndm.ProgressSchedule}); the rest follow the grid.
 * <p>
 * Schedules work on a position's <em>remaining progress</em> ρ, 1 at the start and 0 at the end, which the grid turns
 * into a time ({@link dev.asyncdiff.asyndm.GridProgress}): on a position that stays on the linear schedule ρ_k =
 * 1 − k/K and its time is the grid's t_k exactly, so the reference's uniform-timestep schedules carry over to any grid
 * (shifted, Flux-dynamic, …) by lagging in progress rather than in raw time.
 */
package dev.asyncdiff.asyndm;
