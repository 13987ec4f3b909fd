// The topic checkboxes shared by the sign-up and preferences pages.
import type { Taxonomy } from '../../domain/taxonomy.js';
import { OTHER_TOPIC_ID } from '../../domain/taxonomy.js';

export interface TopicOption {
  id: string;
  name: string;
  description: string;
  checked: boolean;
}

export function topicOptions(taxonomy: Taxonomy, checked: readonly string[] = []): TopicOption[] {
  const options = taxonomy.topics.map((t) => ({ id: t.id, name: t.name, description: t.description }));
  options.push({ id: OTHER_TOPIC_ID, name: 'Other', description: 'Papers that fit none of the topics above.' });
  return options.map((o) => ({ ...o, checked: checked.includes(o.id) }));
}
