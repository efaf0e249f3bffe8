import { flushPromises, mount, type DOMWrapper, type VueWrapper } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { setDesk } from '../../../../renderer/src/api/desk';
import SettingsPanel from '../../../../renderer/src/components/settings/SettingsPanel.vue';
import type { FakeSettingsDesk } from './fake-settings-desk';

export type Panel = VueWrapper<InstanceType<typeof SettingsPanel>>;

/** Mounts the panel open against the fake, attached to the document (focus needs it), loaded. */
export async function mountPanel(desk: FakeSettingsDesk, open = true): Promise<Panel> {
  setActivePinia(createPinia());
  setDesk(desk.api);
  const wrapper = mount(SettingsPanel, { props: { open }, attachTo: document.body });
  await flushPromises();
  return wrapper;
}

/** The control a <label for> names (the label's text starts with `text`). */
export function field(wrapper: Panel, text: string): DOMWrapper<HTMLInputElement> {
  const label = wrapper.findAll('label').find((candidate) => candidate.text().startsWith(text));
  if (label === undefined) throw new Error(`no label starting with "${text}"`);
  const id = label.attributes('for');
  if (id === undefined) {
    const nested = label.find<HTMLInputElement>('input');
    if (!nested.exists()) throw new Error(`label "${text}" has neither a for nor a nested input`);
    return nested;
  }
  const control = wrapper.find<HTMLInputElement>(`[id="${id}"]`);
  if (!control.exists()) throw new Error(`label "${text}" points at a missing #${id}`);
  return control;
}

/** The section whose heading is `title`. */
export function section(wrapper: Panel, title: string): DOMWrapper<HTMLElement> {
  const found = wrapper.findAll<HTMLElement>('section').find((candidate) => candidate.find('h3').text() === title);
  if (found === undefined) throw new Error(`no section "${title}"`);
  return found;
}

export async function submit(wrapper: Panel, title: string): Promise<void> {
  await section(wrapper, title).find('form').trigger('submit');
  await flushPromises();
}

/** The error shown for a field: the element its aria-describedby names first, when it is invalid. */
export function errorOf(wrapper: Panel, control: DOMWrapper<HTMLElement>): string | null {
  if (control.attributes('aria-invalid') !== 'true') return null;
  const first = control.attributes('aria-describedby')?.split(' ')[0];
  return first === undefined ? null : wrapper.find(`[id="${first}"]`).text();
}

export function statusOf(wrapper: Panel, title: string): string {
  return section(wrapper, title).find('[role="status"]').text();
}
