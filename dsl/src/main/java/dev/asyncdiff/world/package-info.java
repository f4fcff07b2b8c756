/**
 * The embedded procedural world (DESIGN.md §3): captioned 64×64 scenes whose alignment with their captions can be
 * judged exactly.
 *
 * <h2>The world</h2>
 * One to four upright objects on a background. Six {@link dev.asyncdiff.world.Shape shapes} (circle, square,
 * triangle, star, cross, diamond), eight {@link dev.asyncdiff.world.Colour colours} (red, orange, yellow, green,
 * blue, purple, white, black), four {@link dev.asyncdiff.world.Texture textures} (plain, striped, dotted, checkered
 * — each painted in the colour's primary and a second tone of the same colour), two
 * {@link dev.asyncdiff.world.Size sizes} (extent 15–18 or 24–28 px). Backgrounds are mid greys (lightness 110–156,
 * chroma ≤ 6) carrying structured, low-contrast detail — a soft gradient, faint large tiles, faint lines — so that
 * detail and noise are different things, and so that no object tone can pass for background.
 * {@link dev.asyncdiff.world.SceneSampler} places objects in separate cells of the image (whole, halves, quadrants)
 * and {@link dev.asyncdiff.world.SceneRenderer} draws them anti-aliased with Java2D, bit-for-bit reproducibly.
 *
 * <h2>Captions</h2>
 * The grammar ({@link dev.asyncdiff.world.CaptionParser}): {@code group ("and" group)* | group relation group},
 * a group being {@code count [size] [texture] [colour] noun} with counts a/an, two, three, four and relations
 * "left of", "right of", "above", "below" between the two groups' centroids. The {@link dev.asyncdiff.world.Vocabulary}
 * has 37 words. {@link dev.asyncdiff.world.CaptionGrammar} writes captions in six
 * {@link dev.asyncdiff.world.Category categories} mirroring T2I-CompBench: colour ("a blue square and a yellow
 * circle"), shape ("a large triangle", "a star and a circle"), texture ("a striped circle"), spatial ("a red circle
 * left of a green square"), numeracy ("three blue triangles") and complex ("two striped red squares above a dotted
 * blue circle"). {@link dev.asyncdiff.world.PromptSplits} gives 700 train, 300 val and 300 val_unseen captions per
 * category for a seed; val_unseen captions bind a colour, texture or size to a shape that training captions never
 * bind it to ({@link dev.asyncdiff.world.UnseenCombinations}).
 *
 * <h2>The oracle</h2>
 * {@link dev.asyncdiff.world.Oracle} separates objects from the background by thresholds no background pixel
 * reaches, reads each object's colour by a vote of its pixels' nearest tones, its shape, position and size by fitting
 * every shape — drawn at the object's opacity centroid with the object's opacity mass, blurred by 0 to 1.5 px — to
 * its opacity map (centroid and mass are unchanged by blur), and its texture from the spread, mean and gradient
 * anisotropy of its interior. It matches found objects to the caption's objects and checks count, shapes, stated
 * colours, textures and sizes, and the relation. Measured on renders of the seed-0 val split (300 captions per
 * category; share of captions whose every check passes; {@code OracleTest}):
 * <table>
 * <caption>Oracle accuracy per category</caption>
 * <tr><th>renders</th><th>colour</th><th>shape</th><th>texture</th><th>spatial</th><th>numeracy</th>
 * <th>complex</th></tr>
 * <tr><td>clean</td><td>1.000</td><td>1.000</td><td>0.993</td><td>1.000</td><td>1.000</td><td>0.997</td></tr>
 * <tr><td>clean, val_unseen</td><td>1.000</td><td>1.000</td><td>0.997</td><td>1.000</td><td>1.000</td>
 * <td>1.000</td></tr>
 * <tr><td>Gaussian blur σ = 0.8 px</td><td>1.000</td><td>1.000</td><td>0.997</td><td>1.000</td><td>1.000</td>
 * <td>1.000</td></tr>
 * <tr><td>blur σ = 1.0 px</td><td>1.000</td><td>1.000</td><td>0.993</td><td>1.000</td><td>1.000</td>
 * <td>0.997</td></tr>
 * <tr><td>blur σ = 0.6 px + noise σ = 5 levels</td><td>1.000</td><td>1.000</td><td>1.000</td><td>1.000</td>
 * <td>1.000</td><td>1.000</td></tr>
 * <tr><td>noise σ = 8 levels</td><td>1.000</td><td>1.000</td><td>0.993</td><td>1.000</td><td>1.000</td>
 * <td>0.987</td></tr>
 * </table>
 * At blur σ = 1.5 px the 6 px texture patterns are mostly blurred away and texture accuracy falls to about 0.3;
 * colour, shape and relations stay at 0.97.
 */
package dev.asyncdiff.world;
