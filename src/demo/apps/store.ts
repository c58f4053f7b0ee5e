import {Random} from '../random.js';

export interface Author {
  id: number;
  name: string;
}

export interface Book {
  id: number;
  title: string;
  authorId: number;
  pages: number;
}

const FIRST = ['Ada', 'Ursula', 'Italo', 'Octavia', 'Jorge', 'Clarice', 'Haruki', 'Chinua', 'Wisława', 'Toni', 'Gabriel', 'Mary'];
const LAST = ['Lovelace', 'Le Guin', 'Calvino', 'Butler', 'Borges', 'Lispector', 'Murakami', 'Achebe', 'Szymborska', 'Morrison', 'Márquez', 'Shelley'];
const WORDS = ['Invisible', 'Cities', 'Left', 'Hand', 'Darkness', 'Kindred', 'Labyrinths', 'Hour', 'Star', 'Wind', 'Bird', 'Things', 'Fall', 'Apart', 'Beloved', 'Solitude', 'Frankenstein', 'Dispossessed', 'River', 'Glass'];

/** The bookstore's data, seeded so every run with the same seed starts from the same shelves. */
export const INITIAL_AUTHORS = 12;
export const INITIAL_BOOKS = 30;

export function seedAuthors(seed: number): Map<number, Author> {
  const rng = new Random(seed ^ 0xa0a0);
  const authors = new Map<number, Author>();
  for (let id = 1; id <= INITIAL_AUTHORS; id++) {
    authors.set(id, {id, name: `${FIRST[rng.int(0, FIRST.length - 1)]} ${LAST[rng.int(0, LAST.length - 1)]}`});
  }
  return authors;
}

export function seedBooks(seed: number): Map<number, Book> {
  const rng = new Random(seed ^ 0xb00c);
  const books = new Map<number, Book>();
  for (let id = 1; id <= INITIAL_BOOKS; id++) books.set(id, randomBook(rng, id));
  return books;
}

export function randomBook(rng: Random, id: number): Book {
  const title = `The ${WORDS[rng.int(0, WORDS.length - 1)]} ${WORDS[rng.int(0, WORDS.length - 1)]}`;
  return {id, title, authorId: rng.int(1, INITIAL_AUTHORS), pages: rng.int(90, 900)};
}
