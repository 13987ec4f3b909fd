// An Issue is a digest grouped into topic sections: what gets rendered and sent.
import type { Digest, Paper } from './digest.js';

export interface ClassifiedPaper extends Paper {
  /** The section this paper appears in. */
  primaryTopic: string;
  /** Primary first, then secondary topics: a subscriber of any of these gets the paper. */
  topics: string[];
}

export interface IssueSection {
  topic: { id: string; name: string; description: string };
  /** Sorted by upvotes (desc), then input order. */
  papers: ClassifiedPaper[];
}

export interface Issue {
  /** Stable id: digest date plus a short hash of its content, e.g. 2026-03-14-3f9a1c2b. */
  id: string;
  date: string;
  title?: string;
  source: Digest['source'];
  /** Sections in taxonomy order, "Other" last; empty sections are left out. */
  sections: IssueSection[];
  /**
   * Paper ids in the digest's own order (a trending page's rank), which breaks ties between equal
   * upvotes when the email ranks papers. Absent: the order of the sections.
   */
  order?: string[];
}
