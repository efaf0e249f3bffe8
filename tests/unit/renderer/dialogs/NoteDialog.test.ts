import { afterEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import NoteDialog from '../../../../renderer/src/components/dialogs/NoteDialog.vue';
import { focusedOpener, mountDialog } from './factories';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('NoteDialog', () => {
  it('focuses the note on open and gives focus back on close', async () => {
    const opener = focusedOpener();
    const wrapper = mountDialog(NoteDialog);
    await nextTick();
    await nextTick();
    expect(document.activeElement?.tagName).toBe('TEXTAREA');
    wrapper.unmount();
    expect(document.activeElement).toBe(opener);
  });

  it('needs 1 to 2,000 characters after trimming', async () => {
    const wrapper = mountDialog(NoteDialog);
    const note = wrapper.get('textarea');
    await note.setValue('   ');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.text()).toContain('Write a note.');
    expect(note.attributes('aria-invalid')).toBe('true');
    await note.setValue('n'.repeat(2001));
    expect(wrapper.text()).toContain('A note is 2,001 characters; the limit is 2,000.');
    await wrapper.get('form').trigger('submit');
    expect(wrapper.emitted('submit')).toBeUndefined();
  });

  it('Ctrl/Cmd+Enter saves the trimmed note; a plain Enter is a new line', async () => {
    const wrapper = mountDialog(NoteDialog);
    const note = wrapper.get('textarea');
    await note.setValue('  Called the buyer.  ');
    await note.trigger('keydown', { key: 'Enter' });
    expect(wrapper.emitted('submit')).toBeUndefined();
    await note.trigger('keydown', { key: 'Enter', ctrlKey: true });
    await nextTick();
    expect(wrapper.emitted('submit')).toEqual([['Called the buyer.']]);
    await note.trigger('keydown', { key: 'Enter', metaKey: true });
    await nextTick();
    expect(wrapper.emitted('submit')).toHaveLength(2);
  });
});
