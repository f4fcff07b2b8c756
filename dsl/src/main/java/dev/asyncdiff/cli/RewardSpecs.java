package dev.asyncdiff.cli;

/** How a command's --rewards help names the rewards it accepts, written once for every command that takes them. */
final class RewardSpecs {
    static final String HELP = "names as listed by 'asyncdiff score --help', and the CLIP-based rewards with their "
            + "model folder (clip-score:DIR, pickscore:DIR)";

    private RewardSpecs() {
    }
}
