// PLACEHOLDER: replaced by the screen's real implementation.
import type { ScreenProps } from '../ui';

export default function Screen(_: ScreenProps) {
  return <section class="card"><h2>family/marks</h2></section>;
}
